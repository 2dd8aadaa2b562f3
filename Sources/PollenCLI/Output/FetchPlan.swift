import PollenEngine

/// `--dry-run --source alphavantage`: the requests the selection needs (one per asset and
/// table), how long they take at `--fetch-rpm`, and whether today's remaining daily budget
/// covers them. Nothing is fetched.
struct FetchPlan {
    let requests: Int
    let minutes: Double
    let remainingToday: Int?
    let dailyBudget: Int

    init(plan: WorkPlan, requestsPerMinute: Double, remainingToday: Int?, dailyBudget: Int) {
        requests = plan.units.reduce(0) { $0 + $1.tables.filter { $0.sourceFunction != nil }.count }
        minutes = Double(requests) / requestsPerMinute
        self.remainingToday = remainingToday
        self.dailyBudget = dailyBudget
    }

    /// Whether today's budget covers every request (always, without a daily budget).
    var covered: Bool { remainingToday.map { requests <= $0 } ?? (dailyBudget == 0) }

    var text: String {
        var text = "Dry run: \(requests) Alpha Vantage requests for this selection, "
            + "about \(Format.duration(minutes * 60)) at --fetch-rpm; nothing fetched, nothing written.\n"
        if let remaining = remainingToday {
            text += covered
                ? "Today's budget covers them: \(remaining) of \(dailyBudget) requests left (--fetch-per-day).\n"
                : "Today's budget does not cover them: \(remaining) of \(dailyBudget) requests left (--fetch-per-day); "
                    + "the rest waits for a later run (--stale-days picks those assets up).\n"
        } else if dailyBudget > 0 {
            text += "Today's budget (--fetch-per-day \(dailyBudget)) cannot be read.\n"
        } else {
            text += "No daily budget (--fetch-per-day 0).\n"
        }
        return text
    }
}
