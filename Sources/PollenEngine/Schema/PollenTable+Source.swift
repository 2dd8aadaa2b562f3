import PollenSource

extension PollenTable {
    /// The Alpha Vantage function that fills this table (`nil` for `assets`).
    public var sourceFunction: SourceFunction? {
        switch self {
        case .assets: return nil
        case .companyOverview: return .overview
        case .earnings: return .earnings
        case .cashFlow: return .cashFlow
        case .balanceSheet: return .balanceSheet
        case .incomeStatement: return .incomeStatement
        }
    }

    /// The table a function fills.
    public init(function: SourceFunction) {
        switch function {
        case .overview: self = .companyOverview
        case .earnings: self = .earnings
        case .cashFlow: self = .cashFlow
        case .balanceSheet: self = .balanceSheet
        case .incomeStatement: self = .incomeStatement
        }
    }
}
