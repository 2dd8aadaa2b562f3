/// The income and cash-flow figures of a sample period: one quarter, or the sum of a fiscal
/// year's four quarters.
///
/// A quarter's figures depend only on the company and the quarter, so an annual report is
/// exactly the sum of its quarterly reports and the overview's trailing twelve months match.
struct PeriodFlows {
    var revenue = 0.0
    var costOfRevenue = 0.0
    var selling = 0.0
    var research = 0.0
    var otherOperating = 0.0
    var depreciation = 0.0
    var interestIncome = 0.0
    var interestExpense = 0.0
    var otherNonOperating = 0.0
    var incomeTax = 0.0
    var workingCapitalChange = 0.0
    var receivablesChange = 0.0
    var inventoryChange = 0.0
    var capitalExpenditures = 0.0
    var otherInvesting = 0.0
    var dividends = 0.0
    var buybacks = 0.0
    var debtIssuance = 0.0
    var stockIssuance = 0.0

    /// The figures of the quarter `quarter` quarters back.
    init(company: SampleCompany, quarter: Int) {
        var random = company.stream(.flows, quarter: quarter)
        revenue = company.trendRevenue(quarter: quarter) * (1 + random.double(in: -0.04..<0.04))
        costOfRevenue = revenue * (1 - company.grossMargin + random.double(in: -0.02..<0.02))
        selling = revenue * company.sellingRatio * (1 + random.double(in: -0.05..<0.05))
        research = revenue * company.researchRatio * (1 + random.double(in: -0.05..<0.05))
        otherOperating = revenue * company.otherOperatingRatio
        depreciation = revenue * company.depreciationRatio * (1 + random.double(in: -0.03..<0.03))
        interestIncome = revenue * random.double(in: 0.001..<0.01)
        interestExpense = company.trendRevenue(quarter: quarter) * company.assetIntensity * company.debtToAssets
            * company.interestRate
        otherNonOperating = revenue * random.double(in: -0.015..<0.01)
        let incomeBeforeTax = revenue - costOfRevenue - selling - research - otherOperating
            + interestIncome - interestExpense + otherNonOperating
        incomeTax = incomeBeforeTax > 0 ? incomeBeforeTax * company.taxRate : incomeBeforeTax * 0.1
        workingCapitalChange = revenue * random.double(in: -0.04..<0.04)
        receivablesChange = revenue * random.double(in: -0.03..<0.03)
        inventoryChange = company.industry.holdsInventory ? revenue * random.double(in: -0.03..<0.03) : 0
        capitalExpenditures = revenue * company.capitalExpenditureRatio * (1 + random.double(in: -0.2..<0.2))
        otherInvesting = revenue * random.double(in: -0.03..<0.02)
        dividends = (company.dividendPerShare ?? 0) * company.shares(quarter: quarter) / 4
        buybacks = revenue * company.buybackRatio * random.double(in: 0.5..<1.5)
        debtIssuance = random.chance(0.3) ? revenue * random.double(in: -0.1..<0.15) : 0
        stockIssuance = revenue * random.double(in: 0..<0.004)
    }

    private init() {}

    /// The sum of the quarters `quarters` (quarter indexes counted back from the latest).
    init(company: SampleCompany, quarters: Range<Int>) {
        self.init()
        for quarter in quarters {
            let flows = PeriodFlows(company: company, quarter: quarter)
            add(flows)
        }
    }

    private mutating func add(_ other: PeriodFlows) {
        revenue += other.revenue
        costOfRevenue += other.costOfRevenue
        selling += other.selling
        research += other.research
        otherOperating += other.otherOperating
        depreciation += other.depreciation
        interestIncome += other.interestIncome
        interestExpense += other.interestExpense
        otherNonOperating += other.otherNonOperating
        incomeTax += other.incomeTax
        workingCapitalChange += other.workingCapitalChange
        receivablesChange += other.receivablesChange
        inventoryChange += other.inventoryChange
        capitalExpenditures += other.capitalExpenditures
        otherInvesting += other.otherInvesting
        dividends += other.dividends
        buybacks += other.buybacks
        debtIssuance += other.debtIssuance
        stockIssuance += other.stockIssuance
    }

    var grossProfit: Double { revenue - costOfRevenue }
    var operatingExpenses: Double { selling + research + otherOperating }
    var operatingIncome: Double { grossProfit - operatingExpenses }
    var incomeBeforeTax: Double { operatingIncome + interestIncome - interestExpense + otherNonOperating }
    var netIncome: Double { incomeBeforeTax - incomeTax }
    var ebit: Double { incomeBeforeTax + interestExpense }
    var ebitda: Double { ebit + depreciation }
    var operatingCashflow: Double { netIncome + depreciation + workingCapitalChange }
    var cashflowFromInvestment: Double { otherInvesting - capitalExpenditures }
    var cashflowFromFinancing: Double { debtIssuance + stockIssuance - dividends - buybacks }
}
