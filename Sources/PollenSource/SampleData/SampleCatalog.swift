/// The made-up words sample companies are built from: name parts, industries, places.
///
/// Everything is invented or generic so that no sample asset can be mistaken for a real one.
enum SampleCatalog {
    /// A sector as Alpha Vantage names it, one of its industries, and what its statements carry.
    struct Industry {
        let sector: String
        let industry: String
        /// What the company does, completing "The company ...".
        let activity: String
        let holdsInventory: Bool
        let doesResearch: Bool
        let grossMargin: ClosedRange<Double>
    }

    static let industries: [Industry] = [
        Industry(sector: "TECHNOLOGY", industry: "SERVICES-PREPACKAGED SOFTWARE",
                 activity: "develops planning and analytics software sold by subscription",
                 holdsInventory: false, doesResearch: true, grossMargin: 0.62...0.86),
        Industry(sector: "TECHNOLOGY", industry: "SEMICONDUCTORS & RELATED DEVICES",
                 activity: "designs mixed-signal chips for industrial and automotive equipment",
                 holdsInventory: true, doesResearch: true, grossMargin: 0.42...0.66),
        Industry(sector: "LIFE SCIENCES", industry: "PHARMACEUTICAL PREPARATIONS",
                 activity: "develops and markets prescription treatments for chronic conditions",
                 holdsInventory: true, doesResearch: true, grossMargin: 0.55...0.80),
        Industry(sector: "LIFE SCIENCES", industry: "SURGICAL & MEDICAL INSTRUMENTS & APPARATUS",
                 activity: "makes surgical instruments and single-use clinical supplies",
                 holdsInventory: true, doesResearch: true, grossMargin: 0.45...0.65),
        Industry(sector: "MANUFACTURING", industry: "MOTOR VEHICLE PARTS & ACCESSORIES",
                 activity: "manufactures drivetrain and braking components for vehicle makers",
                 holdsInventory: true, doesResearch: true, grossMargin: 0.15...0.30),
        Industry(sector: "MANUFACTURING", industry: "INDUSTRIAL INSTRUMENTS FOR MEASUREMENT",
                 activity: "builds sensors and process-control instruments for plants and utilities",
                 holdsInventory: true, doesResearch: true, grossMargin: 0.35...0.55),
        Industry(sector: "TRADE & SERVICES", industry: "RETAIL-VARIETY STORES",
                 activity: "operates discount variety stores and an online marketplace",
                 holdsInventory: true, doesResearch: false, grossMargin: 0.22...0.38),
        Industry(sector: "TRADE & SERVICES", industry: "SERVICES-BUSINESS SERVICES, NEC",
                 activity: "provides payroll, staffing and facilities services to mid-sized firms",
                 holdsInventory: false, doesResearch: false, grossMargin: 0.25...0.45),
        Industry(sector: "ENERGY & TRANSPORTATION", industry: "CRUDE PETROLEUM & NATURAL GAS",
                 activity: "explores for and produces oil and natural gas onshore",
                 holdsInventory: true, doesResearch: false, grossMargin: 0.30...0.60),
        Industry(sector: "ENERGY & TRANSPORTATION", industry: "TRUCKING (NO LOCAL)",
                 activity: "runs long-haul freight and logistics networks",
                 holdsInventory: false, doesResearch: false, grossMargin: 0.12...0.25),
        Industry(sector: "REAL ESTATE & CONSTRUCTION", industry: "OPERATIVE BUILDERS",
                 activity: "builds and sells single-family homes in growing suburbs",
                 holdsInventory: true, doesResearch: false, grossMargin: 0.18...0.30),
        Industry(sector: "FINANCE", industry: "STATE COMMERCIAL BANKS",
                 activity: "offers commercial lending, deposits and treasury services to regional businesses",
                 holdsInventory: false, doesResearch: false, grossMargin: 0.50...0.75),
    ]

    static let nameStarts = ["Vant", "Qor", "Ster", "Ald", "Bryn", "Cal", "Dorv", "Elm", "Fenw", "Gral", "Hesp",
                             "Ilv", "Jorr", "Kest", "Lum", "Marr", "Norv", "Orl", "Pell", "Quin", "Rav", "Sol",
                             "Tarv", "Ulm", "Vel", "Wrex", "Yarr", "Zeph"]
    static let nameEnds = ["ara", "el", "ion", "ix", "ora", "ent", "ava", "is", "on", "eta", "ium", "ex", "and"]
    static let nameSuffixes = ["Inc", "Corp", "Holdings Inc", "Group Inc", "Systems Inc", "Technologies Inc",
                               "Industries Inc", "Partners Corp", "Brands Inc"]
    static let streets = ["MAIN STREET", "HARBOR AVENUE", "INDUSTRIAL PARKWAY", "COMMERCE DRIVE", "LAKE ROAD",
                          "RIVERSIDE BOULEVARD", "MARKET STREET", "CORPORATE CENTER DRIVE"]
    /// Places of headquarters: the city as Alpha Vantage writes addresses, as prose, and the state code.
    static let places = [("SPRINGFIELD", "Springfield", "OH"), ("FAIRVIEW", "Fairview", "TX"),
                         ("GREENVILLE", "Greenville", "NC"), ("MADISON", "Madison", "WI"),
                         ("FRANKLIN", "Franklin", "TN"), ("CLINTON", "Clinton", "IA"), ("RIVERTON", "Riverton", "WY"),
                         ("LAKEWOOD", "Lakewood", "CO"), ("ASHLAND", "Ashland", "OR"), ("BRISTOL", "Bristol", "CT"),
                         ("DOVER", "Dover", "DE"), ("SALEM", "Salem", "MA")]
    static let monthNames = ["January", "February", "March", "April", "May", "June", "July", "August",
                             "September", "October", "November", "December"]
}
