import Foundation
import PollenDynamoDB

/// Learns how fast a table (or one hot partition key) really grants writes, from DynamoDB's own
/// answers, and sets the rate to pace at: just under what it grants, announced or not.
///
/// - **Announced capacity** (provisioned WCU, `OnDemandThroughput.MaxWriteRequestUnits`, times
///   `--max-capacity-pct`, or `--max-wcu`) is a ceiling, and the rate starts there.
/// - **Nothing announced** (most on-demand tables): a slow start from an eighth of the table's
///   `WarmThroughput` (4,000 write units for a new table) or of the operator's cap if lower,
///   doubling every half second while writes wait on the rate (more slowly while sharing, below),
///   up to the warm throughput, then searching above it.
/// - **Push-back** (a throttling error or unprocessed items) means the table grants less than
///   Pollen sends: the grant rate is measured as the units DynamoDB accepted per second (over
///   the last second, or over the whole push-back episode once it has lasted a second, so that
///   neither per-second nor continuous accounting biases it), and the rate is set just under it
///   (`margin`). At most one cut per second, and only on answers to requests sent after the last
///   one, which still answer the old rate.
/// - **Between refusals, by send time**: over an episode, the grant is what DynamoDB accepted of
///   the requests sent between two it refused, a second or more apart, once all of them are
///   answered. At each refusal the table had nothing left, so whatever it granted in between
///   was taken, whether Pollen sent steadily or its batches slept (exact for a token bucket,
///   within a window's worth for per-second windows). Counted by answer time instead, a busy
///   server that answers refusals at once and writes late measured 149 for a limit of 50 (the
///   writes of the second before); ended at an arbitrary moment instead of a refusal, a span
///   measured 34 (the table had capacity left unused at its end).
/// - **Push-back that goes on** at one rate for seconds with no measure under it (a measure above
///   the rate counts more than the table grants; refusals a second apart end each episode
///   before it measures): the rate steps down a tenth at a time.
/// - **Probing**: after a cut the rate holds (3 s, doubling up to 30 s each time a push-back
///   confirms the same limit, so a stable limit is not probed into a sawtooth), then climbs back:
///   quickly to just under the measured limit, slowly around it, and faster and faster once past
///   it without push-back (the limit has risen). A measure over less than two windows may have
///   missed part of a second (per-second windows): the climb goes on to all of its span's units
///   per second within 15 s, until DynamoDB pushes back. No search while it pushes back.
/// - **Reasons**: an account or on-demand maximum throttle is a hard ceiling at what was granted
///   (no search above it for a minute); a key-range throttle is not this table's business (its
///   key gets a pacer of its own).
///
/// - **Other runs** writing the same tables (met by their leases): the slow start takes its share
///   of the rate and of the warm throughput among them and doubles as many times more slowly,
///   a push-back soon after a hold confirms the share found (its measures move with the
///   others'), every run climbs by at least the same units a second, and no cut takes a run
///   under a share of the most it was granted while sharing.
///
/// Pure: the caller passes the time and holds it under its lock.
struct CapacityEstimator: Sendable {
    /// The constants of the control loop.
    struct Tuning: Sendable, Equatable {
        /// How far under the measured grant rate to pace.
        var margin = 0.03
        /// Least time between two cuts, and the least length of a push-back episode whose
        /// accepted rate is trusted (a second: per-second accounting front-loads each second).
        var cutInterval = 1.0
        /// Seconds without push-back that end an episode.
        var quietSeconds = 1.0
        /// The slow start's first rate, as a share of the warm throughput.
        var slowStartShare = 0.125
        /// Seconds per doubling in the slow start.
        var slowStartDoubling = 0.5
        /// The first hold after a cut; doubled (up to `maxHold`) each time a cut confirms the limit.
        var firstHold = 3.0
        var maxHold = 30.0
        /// Climb per second, as a share of the measured limit, while under it by more than the margin.
        var recoverShare = 0.05
        /// Climb above a measure over less than two windows: at least this share of it a second,
        /// and all the way to what it may have missed in this many seconds.
        var shortMeasureClimbShare = 0.02
        var shortMeasureClimbSeconds = 15.0
        /// Climb per second near the measured limit (and the first step of the search above it).
        var probeShare = 0.005
        /// The least climb per second of a run sharing the table, as a share of the warm
        /// throughput divided among the runs.
        var fleetStepShare = 0.002
        /// Seconds past the measured limit without push-back before the search speeds up: a
        /// continuous bucket's stored capacity (DynamoDB keeps up to 300 s) lets a sender exceed
        /// the limit for a while before it pushes back, which is not a higher limit.
        var searchDelay = 10.0
        /// The search step's growth per second after that.
        var probeGrowth = 2.0
        var maxProbeShare = 0.1
        /// How long an account or on-demand maximum throttle keeps the rate under what was granted.
        var hardCeilingSeconds = 60.0
        /// Before anything was measured, fewer answers than this in the last two seconds measure
        /// nothing: a push-back halves the rate.
        var leastAnswers = 4
        /// The step down when DynamoDB goes on pushing back at one rate with no measure under it.
        var stepDownShare = 0.1
        /// Push-backs, over at least this many seconds since the last cut, that make such a step.
        var stallPushBacks = 3
        var stallSeconds = 2.0
        /// Never below this, so a table keeps making progress.
        var minimumRate = 1.0
        /// The warm throughput assumed when DynamoDB does not say (a new on-demand table's).
        var defaultWarmWCU = 4000.0
        /// A hot key's first rate: the most DynamoDB lets one partition take (1,000 WCU).
        var keyStartRate = 1000.0

        init() {}
    }

    /// Where the control loop is.
    enum Phase: String, Sendable, Codable {
        case slowStart, holding, probing
    }

    /// A run of push-backs with no quiet second between them.
    private struct Episode {
        /// When DynamoDB first pushed back.
        var start: Double
        /// When the first request it refused was sent: the table had nothing left then.
        var firstRefusal: Double
        /// When the later requests it refused were sent, since `end`.
        var refusals: [Double] = []
        /// The latest refusal that ends the measure (sent a second or more after the first, with
        /// every request sent before it answered, and where the table ran out: see
        /// ``CapacityEstimator/exhausts(_:)``).
        var end: Double?
        /// The latest refusal answered, with every request before it: the end, two seconds after
        /// the first refusal, when no refusal marks where the table ran out.
        var lastRefusal: Double?
        /// Units accepted of requests sent after `firstRefusal` whose answers left the history.
        var folded = 0.0
        var answers = 0
        /// The rate when it began.
        var startRate: Double
        /// Units sent and accepted since the last cut.
        var sentSinceCut = 0.0
        var acceptedSinceCut = 0.0
        /// The share accepted of what was sent before the episode's first cut, and the rate then.
        var firstShare: (share: Double, rate: Double)?
    }

    /// A move of the rate worth announcing.
    struct Change: Sendable, Equatable {
        var rate: Double
        var reason: RateChange.Reason
    }

    let tuning: Tuning
    private(set) var rate: Double
    /// The grant rate last measured while DynamoDB pushed back.
    private(set) var estimate: Double?
    private(set) var phase: Phase
    /// Set when a throttle suggests the announced capacity changed; the watcher re-describes.
    var describeRequested = false
    private var capacity: TableCapacity
    private(set) var cap: WriteRateController.Cap
    private var hardCeiling: (rate: Double, until: Double)?
    /// Whether ``hardCeiling`` was measured while other runs shared the table (so held a share of the limit).
    private var hardCeilingIsAShare = false
    private var phaseStarted: Double
    private var hold: Double
    private var probeShare: Double
    private var lastCut = -Double.infinity
    private var lastStep: Double
    private var lastPushBack = -Double.infinity
    /// Push-backs at the present rate (a second and more after the last cut), and since when.
    private var pushBacksSinceCut: (count: Int, since: Double)?
    /// When DynamoDB last named a limit of the table (provisioned, account, on-demand maximum).
    private var tableLimitNamed = -Double.infinity
    private var episode: Episode?
    /// Since when the rate has been above the measured limit without push-back.
    private var aboveSince: Double?
    /// Whether the last cut found the limit the episode before it settled at.
    private var limitConfirmed = false
    /// The most a measure over a span of less than two windows may have missed, climbed back to
    /// quickly (see ``raise(at:rateLimited:)``).
    private var climbTarget: Double?
    /// Whether a second and more of push-back measured the table granting well under its
    /// announced capacity: others write it too (other runs, production), and announced capacity
    /// is no longer this run's to come back to, until a describe announces new capacity.
    private var grantsLessThanAnnounced = false
    /// Whether announced capacity is what to pace at and come back to.
    private var trustsAnnounced: Bool { !limitConfirmed && !grantsLessThanAnnounced }
    /// The limit the last push-back episode ended at, and the hold it set.
    private var settled: Double?
    private var settledHold: Double
    /// The rate the last push-back episode left.
    private var settledRate: Double?
    /// The most DynamoDB was measured to grant this run while it shared the table: a cut while
    /// sharing leaves the rate at least ``sharedFloor``.
    private var sharedPeak = 0.0
    /// A share of `sharedPeak` (half of it divided among the runs: what the runs' floors add up
    /// to stays under half the table's limit). Squeezed runs otherwise went on being measured
    /// lower and lower (their requests landing where a per-second window had run out), down to a
    /// unit a second, and wrote their last assets alone: 1.68 x the ideal in the simulation.
    private var sharedFloor: Double { sharedPeak / (2 * runsSharing) }
    /// Recent answers: when they came, when their requests were sent, and whether DynamoDB pushed back.
    private var accepted: [(at: Double, sentAt: Double, units: Double, pushedBack: Bool)] = []
    /// Every request sent before this has been answered: spans are measured up to it.
    private var horizon = -Double.infinity
    /// When the first request answered was sent: a grant measured over less than a second of
    /// requests is no hard limit.
    private var firstSent: Double?
    /// The oldest a request in flight may be and still hold the horizon back (older, it is
    /// taken as lost: a request given up without an answer).
    static let historySeconds = 5.0
    /// Answers lagging more than this behind their requests (a busy server) wait for the
    /// episode's requests to be answered before it is measured.
    static let answerLag = 0.1
    private var announced: Double
    private var lastAnnouncement = -Double.infinity
    /// Whether this paces one hot partition key (nothing below it that a lower rate could
    /// help), not a table.
    private var pacesAKey = false
    /// How many other runs this run has met writing the same selection (by their leases), less
    /// those it has since found done: the slow start takes its share of what the table takes at
    /// once, a push-back soon after a hold confirms the share, and the climb is at least ``fleetStep``.
    private var otherRuns = 0
    /// The runs writing the table as far as this run knows, itself included.
    private var runsSharing: Double { Double(otherRuns + 1) }

    init(capacity: TableCapacity, cap: WriteRateController.Cap, tuning: Tuning = Tuning(), now: Double) {
        self.tuning = tuning
        self.capacity = capacity
        self.cap = cap
        phaseStarted = now
        lastStep = now
        hold = tuning.firstHold
        settledHold = tuning.firstHold
        probeShare = tuning.probeShare
        rate = tuning.minimumRate
        phase = .probing
        announced = 0
        if capacity.announcedWCU != nil, let ceiling {
            rate = ceiling
        } else {
            phase = .slowStart
            // An operator's cap on a table whose limit nobody announced is a ceiling, not a
            // starting rate: the slow start begins at a share of it too, so that the table's
            // other writers (production) are not met with the whole cap in the first second.
            rate = max(tuning.minimumRate, min(ceiling ?? .infinity, warm) * tuning.slowStartShare)
        }
        announced = rate
    }

    /// A hot key's pacer, started when DynamoDB first pushed back on the key: at the most a
    /// partition takes (`keyStartRate`), measured down to what the key is granted over its
    /// first second of push-back. What the key was granted before it was found hot measures
    /// nothing (its first answers are often all refusals, its successes still on the way), and
    /// starting from it would leave the key creeping up from a unit per second.
    init(hotKeyAt now: Double, tuning: Tuning = Tuning()) {
        self.init(capacity: TableCapacity(), cap: .init(), tuning: tuning, now: now)
        pacesAKey = true
        rate = tuning.keyStartRate
        phase = .holding
        lastCut = now
        lastPushBack = now
        episode = Episode(start: now, firstRefusal: now, startRate: rate)
        horizon = now
        announced = rate
    }

    // MARK: Limits

    private var warm: Double { capacity.warmWCU.map(Double.init) ?? tuning.defaultWarmWCU }

    /// The most the rate may be: announced capacity times the operator's share, the operator's
    /// absolute cap, a hard ceiling learned from the reasons; `nil` = none.
    var ceiling: Double? {
        var limits: [Double] = []
        if let announced = capacity.announcedWCU {
            limits.append(max(tuning.minimumRate, Double(announced) * cap.capacityPercent / 100))
        } else if cap.capacityPercent < 100 {
            limits.append(max(tuning.minimumRate, (estimate ?? warm) * cap.capacityPercent / 100))
        }
        if let limit = cap.maxUnitsPerSecond { limits.append(max(tuning.minimumRate, limit)) }
        if let hardCeiling { limits.append(hardCeiling.rate) }
        return limits.min()
    }

    /// Announced capacity times the operator's share (and within the operator's absolute cap).
    private var announcedShare: Double? {
        capacity.announcedWCU.map { Double($0) * cap.capacityPercent / 100 }.map { min($0, cap.maxUnitsPerSecond ?? $0) }
    }

    /// Whether DynamoDB has pushed back for a second or more without a quiet second.
    private func inLongEpisode(at now: Double) -> Bool {
        episode.map { now - $0.start >= tuning.cutInterval } ?? false
    }

    /// The most the table is known to grant Pollen per second: announced capacity (unless DynamoDB
    /// has twice shown it grants less), else the measured grant rate, within the ceiling; `nil`
    /// while neither is known.
    var knownShare: Double? {
        if let announced = announcedShare, trustsAnnounced, let ceiling { return min(announced, ceiling) }
        switch (estimate, ceiling) {
        case let (estimate?, ceiling?): return min(estimate, ceiling)
        case let (estimate?, nil): return estimate
        case let (nil, ceiling?): return ceiling
        case (nil, nil): return nil
        }
    }

    /// New announced capacity (a re-describe): a lower ceiling applies at once; a higher one is
    /// news that outdates what was measured, and is used at once (DynamoDB will say if it
    /// still grants less).
    mutating func setCapacity(_ new: TableCapacity, now: Double) -> Change? {
        guard new != capacity else { return nil }
        let oldCeiling = ceiling
        capacity = new
        grantsLessThanAnnounced = false
        if let newCeiling = ceiling, newCeiling > (oldCeiling ?? rate) {
            estimate = nil
            settled = nil
            hardCeiling = nil
            rate = newCeiling
        }
        return applyCeiling(from: oldCeiling, reason: .capacityChanged)
    }

    /// The operator's new cap (live, from the console): a lower ceiling applies at once; a
    /// higher one at once too if the old one was what held the rate.
    mutating func setCap(_ new: WriteRateController.Cap, now: Double) -> Change? {
        let oldCeiling = ceiling
        cap = new
        if let oldCeiling, let newCeiling = ceiling, newCeiling > oldCeiling, rate >= oldCeiling - 1e-9 {
            rate = newCeiling
        }
        return applyCeiling(from: oldCeiling, reason: .operatorCap, always: true)
    }

    private mutating func applyCeiling(from oldCeiling: Double?, reason: RateChange.Reason, always: Bool = false) -> Change? {
        let newCeiling = ceiling
        if let newCeiling, rate > newCeiling { rate = newCeiling }
        if phase == .slowStart, capacity.announcedWCU != nil { phase = .probing }
        guard always || newCeiling != oldCeiling || rate != announced else { return nil }
        announced = rate
        return Change(rate: rate, reason: reason)
    }

    /// Other runs write the same tables (`count` met so far, by their leases). In the slow start,
    /// the rate and the warm throughput it doubles up to become this run's share of them, and it
    /// doubles `count + 1` times more slowly: three runs each starting at an eighth of the warm
    /// throughput and doubling every half second to all of it sent three times what one run does
    /// into a limit nobody announced, and the refusals of their first two seconds were most of
    /// what they were pushed back (8 % of the requests at a busy server in the simulation; 3-5 %
    /// with shares). Past the slow start, what DynamoDB grants each run is its share already.
    ///
    /// Fewer than before: runs it shared the table with are done, and their share is free. Unless
    /// capacity is announced (the climb back to it is quick already), the rate searches for it as a
    /// run starting does, doubling from where it is until DynamoDB pushes back. (Climbing at its
    /// squeezed share's pace, the last run of three wrote its last assets alone at 30 units/s of a
    /// table taking 400: 1.19 x the ideal.)
    mutating func sharedWith(otherRuns count: Int, now: Double) -> Change? {
        guard count != otherRuns else { return nil }
        let before = otherRuns
        otherRuns = count
        if count < before {
            // A hard ceiling measured while sharing held this run's share of the limit, which has grown.
            if hardCeilingIsAShare { hardCeiling = nil }
            if capacity.announcedWCU == nil, phase != .slowStart {
                phase = .slowStart
                phaseStarted = now
                lastStep = now
            }
            return nil
        }
        guard phase == .slowStart else { return nil }
        rate = max(tuning.minimumRate, rate * Double(before + 1) / Double(count + 1))
        announced = rate
        lastAnnouncement = now
        return Change(rate: rate, reason: .slowStart)
    }

    // MARK: Answers

    /// Feeds back one answer at `now` to a request sent at `sentAt`: the units DynamoDB
    /// consumed, whether it pushed back (and why, if it said), whether writes have lately
    /// waited on the rate (only then does raising it mean anything), and the send time of the
    /// oldest request still unanswered (`now` when none is).
    mutating func answered(at now: Double, sentAt: Double, sent: Double = 0, consumed: Double, pushedBack: Bool,
                           limit: ThrottlingReason.Limit?, rateLimited: Bool, unansweredSince: Double? = nil) -> Change? {
        accepted.append((now, sentAt, consumed, pushedBack))
        if firstSent == nil { firstSent = sentAt }
        horizon = max(horizon, min(now, max(unansweredSince ?? now, now - Self.historySeconds)))
        if episode != nil {
            episode!.answers += 1
            if sentAt >= lastCut {
                episode!.sentSinceCut += sent
                episode!.acceptedSinceCut += consumed
            }
        }
        // Answers leave the history after two seconds, once every request sent before theirs
        // is answered; in an episode, only those sent before a refusal that may end its measure.
        if pushedBack, episode != nil { episode!.refusals.append(sentAt) }
        advanceMeasureEnd()
        let before = episode.map { $0.end ?? $0.firstRefusal } ?? horizon
        accepted.removeAll { answer in
            guard answer.at <= now - 2, answer.sentAt < horizon, answer.sentAt <= before else { return false }
            if let first = episode?.firstRefusal, answer.sentAt > first { episode!.folded += answer.units }
            return true
        }
        if let hard = hardCeiling, now >= hard.until { hardCeiling = nil }
        if pushedBack { return pushBack(at: now, sentAt: sentAt, consumed: consumed, limit: limit, rateLimited: rateLimited) }
        if episode != nil, now - lastPushBack >= tuning.quietSeconds {
            // The episode is over: the limit it measured, and how long it held, are settled.
            episode = nil
            settled = estimate
            settledHold = hold
            settledRate = rate
        }
        return raise(at: now, rateLimited: rateLimited)
    }

    /// Units accepted per second over the last `seconds` of answers (a shorter history counts
    /// as a whole second).
    func acceptedRate(over seconds: Double, at now: Double) -> Double {
        accepted.reduce(0) { $0 + ($1.at > now - seconds ? $1.units : 0) } / seconds
    }

    /// Moves the episode's measure to end at its latest refusal with every request sent before
    /// it answered, a second or more after the first, where the table ran out (or, when none
    /// says so two seconds on, at its latest refusal).
    private mutating func advanceMeasureEnd() {
        guard var episode else { return }
        let answered = episode.refusals.filter { $0 < horizon && $0 - episode.firstRefusal >= tuning.cutInterval }
        guard let latest = answered.max() else { return }
        episode.lastRefusal = max(episode.lastRefusal ?? latest, latest)
        if let last = answered.filter(exhausts).max() {
            episode.end = last
        } else if episode.end == nil, let last = episode.lastRefusal, last - episode.firstRefusal >= 2 * tuning.cutInterval {
            episode.end = last
        }
        episode.refusals.removeAll { $0 < horizon }
        self.episode = episode
    }

    /// Whether the refusal of the request sent at `sentAt` marks where the table ran out: DynamoDB
    /// took part of it, or took the request sent just before it. Per-second windows refuse
    /// everything from there to the next window, so spans between such refusals hold whole
    /// windows (a refusal anywhere in the refused rest of a window would end a span up to a
    /// window's worth short or long: 78 and 39 measured for a limit of 50); a token bucket runs
    /// out at every refusal, so any of them would do.
    private func exhausts(_ sentAt: Double) -> Bool {
        var latestBefore = -Double.infinity
        var tookLatestBefore = false
        for answer in accepted {
            if answer.sentAt == sentAt, answer.pushedBack, answer.units > 0 { return true }
            if sentAt > answer.sentAt, answer.sentAt > latestBefore {
                latestBefore = answer.sentAt
                tookLatestBefore = answer.units > 0
            }
        }
        return tookLatestBefore
    }

    /// The grant rate over an episode: the units DynamoDB accepted of the requests sent between
    /// its first refusal and a refusal a second or more later; `nil` while there is none.
    private func episodeRate(_ episode: Episode) -> Double? {
        guard episode.answers >= tuning.leastAnswers, let end = episode.end else { return nil }
        let units = accepted.reduce(episode.folded) { $0 + ($1.sentAt > episode.firstRefusal && $1.sentAt <= end ? $1.units : 0) }
        return units / (end - episode.firstRefusal)
    }

    private mutating func pushBack(at now: Double, sentAt: Double, consumed: Double, limit: ThrottlingReason.Limit?,
                                   rateLimited: Bool) -> Change? {
        lastPushBack = now
        if let limit, limit != .keyRange { tableLimitNamed = now }
        if episode == nil { episode = Episode(start: now, firstRefusal: sentAt, startRate: rate) }
        guard sentAt >= lastCut, now - lastCut >= tuning.cutInterval else { return nil }
        let lagging = now - horizon > Self.answerLag
        let streak = (count: (pushBacksSinceCut?.count ?? 0) + 1, since: pushBacksSinceCut?.since ?? now)
        pushBacksSinceCut = streak
        // DynamoDB has gone on pushing back at this rate, with writes waiting on it, for seconds.
        let stalled = rateLimited && streak.count >= tuning.stallPushBacks && now - streak.since >= tuning.stallSeconds
        if let episode, episodeRate(episode) == nil,
           (now - episode.start >= tuning.cutInterval && episode.answers >= tuning.leastAnswers) || (lagging && phase != .slowStart) {
            // A second of push-back, but not yet a second between refusals with their requests
            // answered, or answers that lag behind their requests: the episode's measure is a
            // moment away (cut now, the last second's answers would measure the second before,
            // or miss the writes still on their way). Unless it never comes: refusals a second
            // and more apart (big requests to a slow table) end the episode between them.
            return stalled && episode.start > streak.since ? stepDown(at: now, sentAt: sentAt) : nil
        }
        let share = episode.flatMap { $0.sentSinceCut > 0 ? $0.acceptedSinceCut / $0.sentSinceCut : nil }
        if !pacesAKey, now - tableLimitNamed > Self.historySeconds, let episode, let share,
           let first = episode.firstShare, rate < 0.5 * episode.startRate,
           share <= first.share * (1 + 0.5 * (first.rate / rate - 1)) + 0.02 {
            // The rate has been halved and more, yet the share of what is sent that DynamoDB
            // accepts has not grown by half what it would at a table out of capacity (it grants
            // the same units of fewer: halving the rate doubles it); this is a limit of the
            // requests themselves (their keys), which a lower table rate does not lift. No further
            // cut. (Compared across the last cut alone, a share measured high over a few requests
            // read as a key's limit, and a table granting 50 was held at 76.) Push-back with no
            // reason only: when DynamoDB has lately named the table's limit, it is the table's
            // (shares measured over a few requests at a busy server held a table granting 50 at
            // 102 while a third of its requests were throttled for the account's limit).
            return nil
        }
        var granted: Double
        var target: Double
        var measured = true
        // Whether the measure's requests were all sent at the present rate (none before a cut).
        var measuredAtThisRate = false
        /// All of a span's units per second, when it held less than two windows (see `climbTarget`).
        var shortSpanMost: Double?
        if let episode, let episodeRate = episodeRate(episode) {
            // Pushed back for a second or more: what DynamoDB accepted meanwhile is its rate.
            granted = max(tuning.minimumRate, episodeRate)
            if let span = episode.end.map({ $0 - episode.firstRefusal }), span < 2 * tuning.cutInterval {
                shortSpanMost = granted * span
            }
            target = granted * (1 - tuning.margin)
            measuredAtThisRate = episode.firstRefusal >= lastCut
            // Over less than two windows, the table may have granted all the span's units per
            // second (see `climbTarget` below): only a grant well under announced capacity even so
            // says that others write the table. (Taken at the measure, each push-back at an
            // announced on-demand maximum of 400 measured 350 or so between two windows, and the
            // rate was held under it, not paced back: 1.06 x the ideal.)
            if let announced = announcedShare, (shortSpanMost ?? granted) < 0.9 * announced { grantsLessThanAnnounced = true }
        } else {
            granted = max(tuning.minimumRate, acceptedRate(over: 1, at: now), acceptedRate(over: 2, at: now))
            target = granted * (1 - tuning.margin)
            if estimate == nil && accepted.count < tuning.leastAnswers {
                // Too few answers yet to measure anything (the first requests to a table that
                // others keep busy): halve, as a sender without a measure would, and measure later.
                measured = false
                target = rate * 0.5
            } else if lagging {
                // The slow start overshot, and answers lag behind their requests (a busy server
                // answers refusals at once and writes late): the last second's answers miss the
                // writes still on their way (100 measured for a limit of 400). Halve, and measure
                // over the episode once its requests are answered.
                measured = false
                target = rate * 0.5
            } else if phase == .slowStart {
                // The rate doubled quickly, and a bucket with capacity stored up may have hidden
                // how far past the limit it went: at least halve it.
                target = min(target, rate * 0.5)
            } else if let settled, settled < granted, granted <= 1.5 * settled, granted >= rate * (1 - tuning.margin) {
                // DynamoDB took about all that was sent, a little above the limit it settled at
                // before (a probe into stored-up capacity): back under that limit.
                granted = settled
                target = settled * (1 - tuning.margin)
            }
        }
        if measuredAtThisRate && rateLimited && target >= rate && !(hardCeiling.map { granted > 1.2 * $0.rate } ?? false) {
            // Pushed back at a rate under what was measured of requests sent at that rate: the
            // measure counts more than the table grants (requests reaching a busy server late land
            // in per-second windows other than their send times say, and a span then holds a
            // window too many: 96 measured for a limit of 50), not a higher limit. No cut, and the
            // measure neither raises the estimate nor counts as a cut (taken as one, the next real
            // cut compared shares with it and was refused as a limit of the keys: the rate held at
            // 88 for a limit of 50). The episode's
            // measure goes on lengthening, and a window too many weighs less in every second of it;
            // while push-back goes on regardless, the rate steps down. (Unless the measure is well
            // above a hard ceiling: then the ceiling, itself one measure, was the under-measure.)
            return stalled ? stepDown(at: now, sentAt: sentAt) : nil
        }
        let rateBefore = rate
        if measured && !rateLimited {
            // While no write waits on the rate (a key's batches refused together and asleep in
            // backoff together, a run whose batches sleep while other runs hold the table), what
            // was granted says how little was sent, not what the table takes: at most halve, and
            // measure again once the rate is what holds the writes back. (Measured, one run of
            // three sharing a table was cut to 2 units/s and held its leased assets for a minute.)
            measured = false
            target = max(target, rate * 0.5)
            // The grant is measured afresh from here: an episode measured over more than a
            // second of per-second windows counts one window too many (66 for a limit of 50).
            episode = Episode(start: now, firstRefusal: sentAt, startRate: rate)
        }
        let previous = settled
        let firstMeasure = estimate == nil
        if measured { estimate = granted }
        switch limit {
        case .maxOnDemand? where capacity.maxOnDemandWCU != nil:
            // The maximum DynamoDB announced is the hard limit, already the ceiling: a second that
            // granted less is no new limit (has the maximum changed? a describe will say).
            describeRequested = true
        case .accountLimit?, .maxOnDemand?:
            // A hard limit: no search above what was granted for a while, once a second of
            // answered requests measures it (in the first second, while the rate doubles, the
            // grant so far is part of a second: a ceiling there held one table at 0.86 of its
            // limit all run).
            if limit == .maxOnDemand { describeRequested = true }
            guard measured, horizon - (firstSent ?? horizon) >= tuning.cutInterval else { break }
            hardCeiling = (max(granted, hardCeiling?.rate ?? 0) * (1 + tuning.margin), now + tuning.hardCeilingSeconds)
            hardCeilingIsAShare = otherRuns > 0
        case .provisioned?, nil:
            if let announced = capacity.announcedWCU, granted < 0.9 * Double(announced) * cap.capacityPercent / 100 {
                describeRequested = true  // granted well under what is announced: has it changed?
            }
        case .keyRange?:
            break
        }
        if measured {
            // DynamoDB granted more than a hard ceiling lets through, whatever it named: the
            // ceiling came from an under-measure (per-second windows measured 52 for a limit of 80,
            // and the demo's earnings were held there for a minute). It rises to what was granted.
            raiseHardCeiling(toAllow: granted)
        }
        // A run sharing the table with others is granted a share that moves with theirs, so its
        // measures rarely repeat; pushed back again soon after its hold (within two first holds
        // of climbing), before it climbed three margins above where the last episode left it,
        // it has found its share's limit all the same. (Confirmed by measure alone, three runs
        // held for 3 s at each cut, and each of their short climbs cost two refusals a run: 6-9 %
        // of the requests pushed back at a busy server.)
        let climbedLittle = otherRuns > 0 && now - lastCut <= hold + 2 * tuning.firstHold
            && settledRate.map { rateBefore <= $0 * (1 + 3 * tuning.margin) } ?? false
        let confirmed = measured && (climbedLittle || previous.map { abs(granted - $0) <= 2 * tuning.margin * $0 } ?? false)
        hold = confirmed ? min(tuning.maxHold, settledHold * 2) : tuning.firstHold
        limitConfirmed = confirmed
        climbTarget = nil
        if measured, !confirmed, !pacesAKey, let shortSpanMost {
            // Per-second windows run out earlier in a second the faster they are sent, so a span
            // between two refusals where the table ran out holds whole windows but not whole
            // seconds: 0.48 s into one window and 0.67 s into the next, 400 units over 1.18 s
            // measured a limit of 400 as 338, and the careful climb above a measured limit took
            // 25 s back to 400. Over less than two windows, the table may grant all the span's
            // units per second (a token bucket measures exactly, and pushes back on the way).
            climbTarget = shortSpanMost
            // A hard limit's ceiling, taken from the same measure, allows for as much.
            raiseHardCeiling(toAllow: shortSpanMost)
        }
        if let announced = announcedShare, trustsAnnounced, !inLongEpisode(at: now) {
            // Announced capacity is DynamoDB's word: one push-back at it (an accounting edge, a
            // burst of the table's other writers) costs a tenth of it at most; push-back that
            // goes on for a second is measured over the episode.
            target = max(target, announced * 0.9)
        }
        // Not a slow start's grant: a continuous bucket's stored-up burst granted the first run of
        // three 1,500 units/s for a second, and its floor held it at 250 of a table taking 400,
        // pushed back every second, while the others wrote at 57 and 109.
        if measured && otherRuns > 0 && phase != .slowStart { sharedPeak = max(sharedPeak, granted) }
        rate = max(tuning.minimumRate, min(rate, max(target, sharedFloor)))
        if let ceiling { rate = min(rate, ceiling) }
        // Shares are compared across cuts that moved the rate (a measure of the faster seconds
        // before the last cut leaves it where it is).
        if rate < rateBefore {
            if episode?.firstShare == nil, let share { episode?.firstShare = (share, rateBefore) }
            episode?.sentSinceCut = 0
            episode?.acceptedSinceCut = 0
        }
        if pacesAKey && firstMeasure {
            // A key's first second began at the most a partition takes, into whatever the key had
            // stored up: its grant is measured again from here.
            episode = Episode(start: now, firstRefusal: sentAt, startRate: rate)
        }
        return cut(at: now)
    }

    /// Lifts a hard ceiling (keeping when it ends) so that it lets `rate` through, if it does not.
    private mutating func raiseHardCeiling(toAllow rate: Double) {
        guard let hard = hardCeiling, rate * (1 + tuning.margin) > hard.rate else { return }
        hardCeiling = (rate * (1 + tuning.margin), hard.until)
    }

    /// DynamoDB went on pushing back at one rate for seconds, and no measure says by how much it
    /// grants less (none came, or one above the rate): a step down, as a sender without a
    /// measure would, with the estimate no higher than the new rate (DynamoDB granted less than
    /// the rate before; the climb back is the slow one, around it). Seen beside a busy build:
    /// 67 measured for a limit of 50, and the rate stayed there, pushed back, to the run's end.
    private mutating func stepDown(at now: Double, sentAt: Double) -> Change {
        rate = max(tuning.minimumRate, rate * (1 - tuning.stepDownShare))
        // Measured afresh from here, at the new rate.
        episode = Episode(start: now, firstRefusal: sentAt, startRate: rate)
        estimate = min(estimate ?? rate, rate)
        climbTarget = nil
        hold = tuning.firstHold
        limitConfirmed = false
        return cut(at: now)
    }

    /// The rate was cut: it holds, and the climb back starts afresh.
    private mutating func cut(at now: Double) -> Change {
        phase = .holding
        phaseStarted = now
        lastCut = now
        pushBacksSinceCut = nil
        probeShare = tuning.probeShare
        aboveSince = nil
        announced = rate
        lastAnnouncement = now
        return Change(rate: rate, reason: .pushedBack)
    }

    /// While other runs share the table, the least climb a second of every run: the same units
    /// for each (a share of the warm throughput, or of the ceiling if lower), not a share of its own rate, so that a run
    /// squeezed far under the others comes back. (Climbing by shares of their own rates, one run
    /// of three in the simulation was cut down to a unit a second while the others held 300, and
    /// wrote its last assets alone: 1.68 x the ideal.)
    private var fleetStep: Double {
        otherRuns > 0 ? tuning.fleetStepShare * min(warm, ceiling ?? warm) / runsSharing : 0
    }

    private mutating func raise(at now: Double, rateLimited: Bool) -> Change? {
        let seconds = max(0, min(2, now - lastStep))
        lastStep = now
        guard rateLimited, seconds > 0 else { return nil }
        let top = ceiling ?? .infinity
        var reason = RateChange.Reason.probe
        switch phase {
        case .slowStart:
            reason = .slowStart
            let share = warm / runsSharing
            rate = min(top, share, rate * pow(2, seconds / (tuning.slowStartDoubling * runsSharing)))
            if rate >= min(top, share) - 1e-9 {
                // The warm throughput is what the table takes at once: stay there a while
                // before searching above it.
                phase = .holding
                phaseStarted = now
                hold = tuning.searchDelay
            }
        case .holding:
            guard now - phaseStarted >= hold else { return nil }
            phase = .probing
            phaseStarted = now
        case .probing:
            if let announced = announcedShare, trustsAnnounced, rate < announced {
                // Back to announced capacity quickly, unless DynamoDB has twice shown it grants less.
                rate = min(announced, rate + announced * tuning.recoverShare * seconds)
            } else if let estimate, rate < estimate * (1 - tuning.margin) - 1e-9 {
                rate = min(rate + max(estimate * tuning.recoverShare, fleetStep) * seconds, estimate * (1 - tuning.margin))
            } else if episode != nil {
                // While DynamoDB pushes back, the rate climbs back to what is known (above) but
                // searches nothing above it: the episode is being measured.
                return nil
            } else if let estimate, let target = climbTarget, rate < target * (1 - tuning.margin) - 1e-9 {
                // Up to what a short measure may have missed, within `shortMeasureClimbSeconds`
                // (at least 2 % of it a second).
                let step = max(estimate * tuning.shortMeasureClimbShare, (target - estimate) / tuning.shortMeasureClimbSeconds)
                rate = min(rate + step * seconds, target * (1 - tuning.margin))
                if rate >= target * (1 - tuning.margin) - 1e-9 {
                    // Granted without push-back: the table takes it.
                    self.estimate = target
                    climbTarget = nil
                }
            } else {
                if estimate.map({ rate > $0 * (1 + tuning.margin) }) ?? true {
                    // Past the last measured limit (or the warm throughput) without push-back for
                    // a while: it has risen; search faster and faster.
                    let since = aboveSince ?? now
                    aboveSince = since
                    if now - since >= tuning.searchDelay {
                        probeShare = min(tuning.maxProbeShare, probeShare * pow(tuning.probeGrowth, seconds))
                    }
                }
                rate += max(1, max(rate, estimate ?? 0) * probeShare, fleetStep) * seconds
            }
            rate = min(rate, top)
        }
        // Announce steps of 5% (or any step after a second), and reaching the ceiling.
        let moved = abs(rate - announced)
        guard (moved >= max(1, 0.05 * announced) || (moved >= 1 && now - lastAnnouncement >= 1))
                || (rate == top && announced != top) else { return nil }
        announced = rate
        lastAnnouncement = now
        return Change(rate: rate, reason: reason)
    }
}
