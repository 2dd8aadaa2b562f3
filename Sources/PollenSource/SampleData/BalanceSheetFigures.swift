/// The balance sheet of a sample company at the end of one quarter, built bottom-up so that
/// every total is the sum of its parts and equity is what assets leave over liabilities.
struct BalanceSheetFigures {
    let cash: Double
    let shortTermInvestments: Double
    let receivables: Double
    /// Zero for a company that holds no inventory (written `"None"`).
    let inventory: Double
    let otherCurrentAssets: Double
    let propertyPlantEquipment: Double
    let accumulatedDepreciation: Double
    let goodwill: Double
    let intangiblesExcludingGoodwill: Double
    let longTermInvestments: Double
    let otherNonCurrentAssets: Double
    let payables: Double
    let deferredRevenue: Double
    let shortTermDebt: Double
    let otherCurrentLiabilities: Double
    let longTermDebtNoncurrent: Double
    let capitalLeases: Double
    let otherNonCurrentLiabilities: Double
    let commonStock: Double
    let treasuryStock: Double
    let shares: Double

    /// The balance sheet at the end of the quarter `quarter` quarters back.
    init(company: SampleCompany, quarter: Int) {
        var random = company.stream(.balanceSheet, quarter: quarter)
        let annualRevenue = company.trendRevenue(quarter: quarter) * 4
        let assets = annualRevenue * company.assetIntensity
        cash = assets * random.double(in: 0.04..<0.15)
        shortTermInvestments = assets * random.double(in: 0..<0.06)
        receivables = annualRevenue * random.double(in: 0.08..<0.18)
        inventory = company.industry.holdsInventory ? annualRevenue * random.double(in: 0.06..<0.16) : 0
        otherCurrentAssets = assets * random.double(in: 0.01..<0.04)
        propertyPlantEquipment = assets * random.double(in: 0.15..<0.35)
        accumulatedDepreciation = propertyPlantEquipment * random.double(in: 0.5..<1.1)
        goodwill = assets * random.double(in: 0..<0.2)
        intangiblesExcludingGoodwill = assets * random.double(in: 0..<0.08)
        longTermInvestments = assets * random.double(in: 0..<0.08)
        otherNonCurrentAssets = assets * random.double(in: 0.02..<0.06)

        let debt = assets * company.debtToAssets
        payables = annualRevenue * (1 - company.grossMargin) * random.double(in: 0.08..<0.16)
        deferredRevenue = annualRevenue * random.double(in: 0..<0.05)
        shortTermDebt = debt * random.double(in: 0.03..<0.15)
        otherCurrentLiabilities = annualRevenue * random.double(in: 0.02..<0.06)
        longTermDebtNoncurrent = debt - shortTermDebt
        capitalLeases = annualRevenue * random.double(in: 0..<0.03)
        otherNonCurrentLiabilities = assets * random.double(in: 0.02..<0.08)
        shares = company.shares(quarter: quarter)
        commonStock = shares * random.double(in: 0.01..<2)
        treasuryStock = company.buybackRatio > 0 ? annualRevenue * company.buybackRatio * random.double(in: 2..<6) : 0
    }

    var cashAndShortTermInvestments: Double { cash + shortTermInvestments }
    var totalCurrentAssets: Double { cashAndShortTermInvestments + receivables + inventory + otherCurrentAssets }
    var intangibleAssets: Double { goodwill + intangiblesExcludingGoodwill }
    var investments: Double { shortTermInvestments + longTermInvestments }
    var totalNonCurrentAssets: Double {
        propertyPlantEquipment + intangibleAssets + longTermInvestments + otherNonCurrentAssets
    }
    var totalAssets: Double { totalCurrentAssets + totalNonCurrentAssets }
    var totalCurrentLiabilities: Double { payables + deferredRevenue + shortTermDebt + otherCurrentLiabilities }
    var totalNonCurrentLiabilities: Double { longTermDebtNoncurrent + capitalLeases + otherNonCurrentLiabilities }
    var totalLiabilities: Double { totalCurrentLiabilities + totalNonCurrentLiabilities }
    var totalShareholderEquity: Double { totalAssets - totalLiabilities }
    var retainedEarnings: Double { totalShareholderEquity - commonStock + treasuryStock }
    var shortLongTermDebtTotal: Double { shortTermDebt + longTermDebtNoncurrent + capitalLeases }
}
