import Foundation

/// A made-up listed company behind one sample symbol: who it is and how its business runs.
///
/// Everything follows from the generator's seed and the symbol. Each quarter's figures are a
/// pure function of that quarter (see `PeriodFlows`, `BalanceSheetFigures`), so the five
/// payloads agree with each other (the overview's `RevenueTTM` is, up to rounding, the sum of
/// the last four quarterly income statements) and can be made in any order.
struct SampleCompany {
    /// The independent random streams a company draws from.
    enum Stream: UInt64 {
        case profile = 1, flows, balanceSheet, report, earnings, overview
    }

    /// The last month a sample quarter may end in. Sample data describes the world as of the end
    /// of March 2025, so that it never depends on the clock, and the latest quarter's earnings
    /// (reported up to 46 days after it ends) are out by then.
    static let lastQuarterEndMonth = (year: 2025, month: 1)
    /// Quarters of history kept: enough for 20 fiscal years of earnings from any quarter.
    static let quarterHistory = 84

    let symbol: String
    private let seed: UInt64

    let name: String
    let industry: SampleCatalog.Industry
    let exchange: String
    let cik: String
    let address: String
    let officialSite: String
    let description: String
    let fiscalYearEndMonth: Int
    /// The last day of each quarter, newest first: `quarterEnds[0]` is the latest quarter.
    let quarterEnds: [CalendarDate]
    /// How many quarters back the latest fiscal year ended.
    let latestFiscalYearEnd: Int

    /// Four times the latest quarter's revenue, before season and noise.
    let annualRevenue: Double
    let annualGrowth: Double
    let seasonality: Double
    // Ratios are shares of revenue unless said otherwise.
    let grossMargin: Double
    let sellingRatio: Double
    let researchRatio: Double
    let otherOperatingRatio: Double
    let depreciationRatio: Double
    /// Share of income before tax.
    let taxRate: Double
    /// Debt as a share of total assets.
    let debtToAssets: Double
    /// Yearly interest on debt.
    let interestRate: Double
    /// Total assets per unit of yearly revenue.
    let assetIntensity: Double
    let capitalExpenditureRatio: Double
    let buybackRatio: Double
    /// Dividend per share and year; `nil` for a company that pays none.
    let dividendPerShare: Double?
    let sharesOutstanding: Double
    /// Yearly shrink of the share count through buybacks.
    let shareShrink: Double
    let price: Double
    let beta: Double
    let hasAnalystCoverage: Bool

    let annualEarningsCount: Int
    let quarterlyEarningsCount: Int
    /// Quarters (newest first) that have an analysts' estimate; older ones say `"None"`.
    let estimatedQuarters: Int
    let reportsBeforeMarket: Bool
    let reportingLagDays: Int

    init(symbol: String, generatorSeed: UInt64) {
        self.symbol = symbol
        var symbolStream = SeededGenerator(seed: generatorSeed, labels: SeededGenerator.label(symbol))
        seed = symbolStream.next()
        var random = SeededGenerator(seed: seed, labels: Stream.profile.rawValue)

        industry = random.element(of: SampleCatalog.industries)
        let start = random.element(of: SampleCatalog.nameStarts)
        let end = random.element(of: SampleCatalog.nameEnds)
        let base = start + end
        name = base + " " + random.element(of: SampleCatalog.nameSuffixes)
        exchange = random.chance(0.55) ? "NYSE" : "NASDAQ"
        let cikNumber = String(random.int(in: 1_000...1_999_999))
        cik = random.chance(0.4) ? String(repeating: "0", count: 10 - cikNumber.count) + cikNumber : cikNumber
        let place = random.element(of: SampleCatalog.places)
        address = "\(random.int(in: 1...9_999)) \(random.element(of: SampleCatalog.streets)), \(place.0), \(place.2), "
            + "UNITED STATES"
        officialSite = "https://www." + base.lowercased() + ".example.com"
        description = "\(name) \(industry.activity). The company was founded in \(random.int(in: 1890...2012)) "
            + "and is headquartered in \(place.1), \(place.2)."

        let fiscalYearEndMonth = random.element(of: [12, 12, 12, 12, 12, 12, 9, 6, 3, 1])
        self.fiscalYearEndMonth = fiscalYearEndMonth
        let monthsPastQuarterEnd = (Self.lastQuarterEndMonth.month - fiscalYearEndMonth + 12) % 3
        let lagQuarters = random.chance(0.25) ? 1 : 0
        var quarterEnds: [CalendarDate] = []
        var quarterEnd = CalendarDate.lastDay(ofMonth: Self.lastQuarterEndMonth.month, year: Self.lastQuarterEndMonth.year)?
            .endOfMonth(movedBy: -monthsPastQuarterEnd - 3 * lagQuarters)
        while let date = quarterEnd, quarterEnds.count < Self.quarterHistory {
            quarterEnds.append(date)
            quarterEnd = date.endOfMonth(movedBy: -3)
        }
        self.quarterEnds = quarterEnds
        latestFiscalYearEnd = quarterEnds.firstIndex { $0.month == fiscalYearEndMonth } ?? 0

        annualRevenue = exp(random.double(in: log(3e8)..<log(1.2e11)))
        annualGrowth = random.double(in: -0.06..<0.22)
        seasonality = random.double(in: 0..<0.08)
        grossMargin = random.double(in: industry.grossMargin.lowerBound..<industry.grossMargin.upperBound)
        // Operating costs take a share of the gross margin; now and then more than all of it.
        sellingRatio = grossMargin * random.double(in: 0.3..<0.75)
        researchRatio = industry.doesResearch ? grossMargin * random.double(in: 0.05..<0.35) : 0
        otherOperatingRatio = grossMargin * random.double(in: 0..<0.06)
        depreciationRatio = random.double(in: 0.02..<0.08)
        taxRate = random.double(in: 0.12..<0.26)
        debtToAssets = random.double(in: 0.05..<0.45)
        interestRate = random.double(in: 0.025..<0.075)
        assetIntensity = random.double(in: 0.6..<3.0)
        capitalExpenditureRatio = random.double(in: 0.02..<0.12)
        buybackRatio = random.chance(0.5) ? random.double(in: 0.005..<0.05) : 0
        price = random.double(in: 8..<420)
        sharesOutstanding = (annualRevenue * random.double(in: 0.6..<7)) / price
        shareShrink = buybackRatio > 0 ? random.double(in: 0..<0.03) : 0
        dividendPerShare = random.chance(0.55) ? price * random.double(in: 0.008..<0.05) : nil
        beta = random.double(in: 0.3..<2.1)
        hasAnalystCoverage = random.chance(0.75)

        annualEarningsCount = random.int(in: 10...20)
        quarterlyEarningsCount = random.int(in: 40...80)
        estimatedQuarters = quarterlyEarningsCount - random.int(in: 4...16)
        reportsBeforeMarket = random.chance(0.5)
        reportingLagDays = random.int(in: 20...40)
    }

    /// A random stream for one purpose and quarter, the same every time it is asked for.
    func stream(_ stream: Stream, quarter: Int = 0, salt: UInt64 = 0) -> SeededGenerator {
        SeededGenerator(seed: seed, labels: stream.rawValue, UInt64(quarter), salt)
    }

    /// Revenue of the quarter `quarter` quarters back, before noise: the trend and the season.
    func trendRevenue(quarter: Int) -> Double {
        let season = 1 + seasonality * cos(2 * Double.pi * Double(quarterEnds[quarter].month) / 12)
        return annualRevenue / 4 * pow(1 + annualGrowth, -Double(quarter) / 4) * season
    }

    /// Shares outstanding at the end of the quarter `quarter` quarters back.
    func shares(quarter: Int) -> Double {
        sharesOutstanding * pow(1 + shareShrink, Double(quarter) / 4)
    }

    /// The quarter indexes of the fiscal year ending `yearsBack` years before the latest one.
    func fiscalYear(_ yearsBack: Int) -> Range<Int> {
        let end = latestFiscalYearEnd + 4 * yearsBack
        return end..<end + 4
    }
}
