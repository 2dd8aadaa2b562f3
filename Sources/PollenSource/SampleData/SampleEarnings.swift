/// The `EARNINGS` payload of a sample company: 10 to 20 fiscal years and 40 to 80 quarters,
/// newest first, with estimates only for the more recent quarters, as Alpha Vantage has them.
extension SampleCompany {
    func earningsPayload() -> [UInt8] {
        var json = JSONTextBuilder(capacity: 24_000)
        json.openObject()
        json.member("symbol", symbol)
        json.openArray(named: "annualEarnings")
        for year in 0..<annualEarningsCount {
            let quarters = fiscalYear(year)
            let earnings = quarters.reduce(0) { $0 + roundedEarningsPerShare(quarter: $1) }
            json.openObject(onNewLine: true)
            json.member("fiscalDateEnding", quarterEnds[quarters.lowerBound].description)
            json.member("reportedEPS", decimal: earnings, places: 2)
            json.closeObject()
        }
        json.closeArray()
        json.openArray(named: "quarterlyEarnings")
        for quarter in 0..<quarterlyEarningsCount {
            writeQuarter(quarter, to: &json)
        }
        json.closeArray()
        json.closeObject()
        json.finish()
        return json.bytes
    }

    private func writeQuarter(_ quarter: Int, to json: inout JSONTextBuilder) {
        var random = stream(.earnings, quarter: quarter)
        let quarterEnd = quarterEnds[quarter]
        let reported = roundedEarningsPerShare(quarter: quarter)
        json.openObject(onNewLine: true)
        json.member("fiscalDateEnding", quarterEnd.description)
        let reportedDate = quarterEnd.adding(days: reportingLagDays + random.int(in: -4...6))
        json.member("reportedDate", reportedDate?.description ?? "None")
        json.member("reportedEPS", decimal: reported, places: 2)
        if quarter < estimatedQuarters {
            let estimate = ((reported + abs(reported) * random.double(in: -0.12..<0.08)) * 100).rounded() / 100
            let surprise = reported - estimate
            json.member("estimatedEPS", decimal: estimate, places: 2)
            json.member("surprise", decimal: surprise, places: 2)
            json.member("surprisePercentage", decimal: estimate == 0 ? nil : surprise / abs(estimate) * 100, places: 4)
        } else {
            json.member("estimatedEPS", "None")
            json.member("surprise", "0")
            json.member("surprisePercentage", "None")
        }
        let usualTime = reportsBeforeMarket ? "pre-market" : "post-market"
        let otherTime = reportsBeforeMarket ? "post-market" : "pre-market"
        json.member("reportTime", random.chance(0.1) ? otherTime : usualTime)
        json.closeObject()
    }

    /// Net income per share of one quarter, in cents, as the company reports it.
    func roundedEarningsPerShare(quarter: Int) -> Double {
        let netIncome = PeriodFlows(company: self, quarter: quarter).netIncome
        return (netIncome / shares(quarter: quarter) * 100).rounded() / 100
    }
}
