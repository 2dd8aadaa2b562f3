import Foundation
import PollenDynamoDB
import Synchronization

/// The upsert engine: reads and validates assets one by one, writes their tables with
/// bounded concurrency, per-table rate control and retries, isolates each table's failure,
/// marks and confirms every asset row, and accounts for everything in events and a report.
///
/// Memory stays flat: only the assets in flight (a few times `concurrency`) are held.
public final class BackfillEngine: Sendable {
    /// What a finished run produced.
    public struct Result: Sendable {
        public var report: RunReport
        public var summary: RunSummary
        public var exitCode: Int32 { summary.exitCode }
    }

    public let configuration: BackfillConfiguration
    public let metrics = RunMetrics()
    public let control: RunControl
    private let client: DynamoDBClient
    private let source: any AssetSource
    private let plan: WorkPlan
    private let sink: any EventSink
    private let clock: any EngineClock
    private let random: any RandomSource
    private let resume: (state: JournalState, path: String)?
    /// The operator's cap as it stands now (it changes live), the per-table controllers it
    /// applies to, and the emitter that announces it, held together so a change made while
    /// the run starts is neither lost nor announced twice.
    private struct Live {
        var cap: WriteRateController.Cap
        var controllers: [PollenTable: WriteRateController] = [:]
        var events: EventEmitter?
    }
    private let live: Mutex<Live>

    public init(client: DynamoDBClient, source: any AssetSource, plan: WorkPlan, configuration: BackfillConfiguration,
                sink: any EventSink, control: RunControl = RunControl(), clock: any EngineClock = SystemClock(),
                random: any RandomSource = SystemRandomSource(), resume: (state: JournalState, path: String)? = nil) {
        self.client = client
        self.live = Mutex(Live(cap: configuration.capacityCap))
        self.source = source
        self.plan = plan
        self.configuration = configuration
        self.sink = sink
        self.control = control
        self.clock = clock
        self.random = random
        self.resume = resume
    }

    /// Changes the operator's cap on every table's write rate while the run goes on, and
    /// announces it (`capChanged`): the engine is the one owner of the cap.
    public func setCapacityCap(_ cap: WriteRateController.Cap) {
        let (controllers, events) = live.withLock { live in
            live.cap = cap
            return (Array(live.controllers.values), live.events)
        }
        for controller in controllers { controller.setCap(cap) }
        events?.emit(.capChanged(cap))
    }

    /// The operator's cap as it stands now (the next re-run starts from it).
    public var capacityCap: WriteRateController.Cap { live.withLock { $0.cap } }

    /// The per-table rate controllers (empty before the run has started).
    public var rateControllers: [PollenTable: WriteRateController] { live.withLock { $0.controllers } }

    public func run() async -> Result {
        let events = EventEmitter(sink: EventFanOut([metrics, sink]), clock: clock)
        let startedAt = Timestamp.iso8601(clock.date())
        control.observe { state in events.emit(.stateChanged(state)) }
        source.attach(events)
        var accounts = RunAccounts()
        let retrying = Retrying(policy: configuration.retryPolicy, clock: clock, random: random)

        let preflight = await describeTables(retrying: retrying)
        let tableInfos = preflight.infos
        let startCap = live.withLock { live in
            live.events = events
            return live.cap
        }
        events.emit(.runStarted(RunInfo(
            runId: configuration.runID, endpoint: configuration.endpoint, region: configuration.region,
            tablePrefix: configuration.tablePrefix, tables: tableInfos, assets: plan.units.count, dryRun: false,
            resumed: resume != nil, runDirectory: configuration.runDirectory, cap: startCap)))
        let wrongTarget = resume?.state.header.mismatch(endpoint: configuration.endpoint, region: configuration.region,
                                                         tablePrefix: configuration.tablePrefix)
        if let fatal = preflight.fatal ?? wrongTarget {
            control.abort(fatal)
            return finish(accounts: accounts, events: events, startedAt: startedAt)
        }

        let journal: JournalWriter?
        do {
            journal = try await openJournal(startedAt: startedAt, events: events)
        } catch {
            control.abort(String(describing: error))
            return finish(accounts: accounts, events: events, startedAt: startedAt)
        }

        let rates = live.withLock { live in
            live.controllers = Dictionary(uniqueKeysWithValues: tableInfos.map { info in
                (info.table, WriteRateController(table: info.table, capacity: info.capacity, cap: live.cap,
                                                 clock: clock) { events.emit(.rateChanged($0)) })
            })
            return live.controllers
        }
        for info in tableInfos {
            if let controller = rates[info.table] { events.emit(.rateChanged(controller.current(reason: .start))) }
        }
        let sleeping = SleepingBatches()
        let inFlight = AssetsInFlight()
        let writer = BatchWriter(
            client: client, tableNames: Dictionary(uniqueKeysWithValues: tableInfos.map { ($0.table, $0.name) }),
            journal: journal, events: events, gate: RequestGate(limit: configuration.concurrency), rates: rates,
            hotKeys: HotKeyPacers(clock: clock) { events.emit(.rateChanged($0)) }, progress: WriteProgress(),
            sleeping: sleeping, policy: configuration.retryPolicy, clock: clock, random: random, control: control)
        let otherRuns = OtherRuns { count in
            for controller in rates.values { controller.sharedWith(otherRuns: count) }
        }
        let marker = AssetMarker(client: client, tableName: PollenTable.assets.name(prefix: configuration.tablePrefix),
                                 retrying: retrying, clock: clock) { kind, runs in
            otherRuns.read([kind: runs])
        }
        let unavailable = Dictionary(uniqueKeysWithValues: tableInfos.compactMap { info in
            info.unavailable.map { (info.table, $0) }
        })

        let ticker = Task { await self.tick(events: events) }
        let watcher = configuration.capacityRefreshInterval.map { interval in
            let watched = tableInfos.compactMap { info in
                rates[info.table].map { (table: info.table, name: info.name, controller: $0) }
            }
            return Task {
                await CapacityWatcher(client: client, tables: watched, retrying: retrying, clock: clock,
                                      interval: interval).run()
            }
        }
        let leases = configuration.leasing.map { leasing in
            AssetLeases(client: client, tableName: PollenTable.assets.name(prefix: configuration.tablePrefix),
                        runId: configuration.runID, host: leasing.host, startedAt: startedAt,
                        predecessors: leasing.predecessors, duration: leasing.duration,
                        skewAllowance: leasing.skewAllowance, retrying: retrying, clock: clock)
        }
        var doneWatcher: Task<Void, Never>?
        // Notes of other runs come from the start: the first run to start learns of the others from them.
        let noteReader = leases.map { leases in Task { await self.readNotes(to: otherRuns, in: inFlight, leases: leases) } }
        await withTaskGroup(of: Finished.self) { group in
            // The assets to do, in order; with --wait-for-leases, one another run held comes
            // back at the end, to wait for its lease.
            var queue = plan.units.map { (unit: $0, waiting: false) }
            var next = 0
            var metAnotherRun = false
            var running = 0
            var recheckPending = false
            let admission = AssetAdmission(window: max(2, configuration.concurrency))
            func launch() {
                while next < queue.count, control.acceptsWork {
                    let refusal = admission.refusal(running: running, asleep: sleeping.count, sharing: metAnotherRun,
                                                    loading: inFlight.loadingCount,
                                                    ratesHeldBack: rates.values.contains { $0.heldRequestsBackLately },
                                                    queuedOnRates: rates.values.lazy.map(\.queuedAcquirers))
                    if refusal != nil, refusal != .windowFull, !recheckPending {
                        recheckPending = true
                        group.addTask {
                            do {
                                try await self.clock.sleep(seconds: Self.backlogRecheckSeconds)
                                return .recheck
                            } catch {
                                return .recheckCancelled  // the run is being torn down: no more looks
                            }
                        }
                    }
                    guard refusal == nil else { break }
                    let (unit, waiting) = queue[next]
                    next += 1
                    running += 1
                    inFlight.started(unit.symbol)
                    group.addTask {
                        .asset(unit, await self.process(unit, writer: writer, marker: marker, journal: journal,
                                                        unavailable: unavailable, events: events, leases: leases,
                                                        inFlight: inFlight, waitingForLease: waiting))
                    }
                }
                if running == 0 { sleeping.finish() }
                if next == queue.count, metAnotherRun, doneWatcher == nil, let leases {
                    doneWatcher = Task { await self.watchForDone(otherRuns, leases: leases) }
                }
            }
            group.addTask { await sleeping.nextSleeper() ? .batchAsleep : .noMoreSleepers }
            launch()
            while let finished = await group.next() {
                switch finished {
                case .asset(let unit, let outcome):
                    running -= 1
                    inFlight.finished(unit.symbol)
                    if let holder = outcome.leftToOthers?.holder { otherRuns.met(holder.runId, holding: unit.symbol) }
                    if (outcome.leftToOthers != nil || otherRuns.count > 0) && !metAnotherRun {
                        // Other runs walk the same selection: in the same order, all of them would
                        // race for the same assets at every step (each race costs the losers a
                        // refused update and a read). From here on this run takes the rest in an
                        // order of its own.
                        metAnotherRun = true
                        for index in stride(from: queue.count - 1, to: next, by: -1) {
                            queue.swapAt(index, next + Int(random.nextUnit() * Double(index - next + 1)) % (index - next + 1))
                        }
                    }
                    if outcome.leftToOthers?.holder != nil, configuration.leasing?.waitForLeases == true,
                       !queue[..<next].contains(where: { $0.unit.symbol == unit.symbol && $0.waiting }) {
                        queue.append((unit, true))
                    } else {
                        accounts.record(outcome)
                    }
                    launch()
                case .batchAsleep:
                    launch()
                    group.addTask { await sleeping.nextSleeper() ? .batchAsleep : .noMoreSleepers }
                case .recheck:
                    recheckPending = false
                    launch()
                case .noMoreSleepers, .recheckCancelled:
                    break
                }
            }
            // Assets the run stopped before reaching are in the report, as not done, so that
            // `--rerun` can repeat them.
            let reason = control.fatalError.map { "not started: the run stopped (\($0))" }
                ?? "not started: the run was interrupted"
            for (unit, _) in queue[next...] { accounts.recordNotStarted(unit, reason: reason) }
        }
        watcher?.cancel()
        _ = await watcher?.result
        for task in [doneWatcher, noteReader] {
            task?.cancel()
            _ = await task?.result
        }
        if let leases { await otherRuns.tellDone(using: leases) }
        ticker.cancel()
        _ = await ticker.result
        // The last progress line tells the final totals (a fetch that failed after the last tick included).
        if configuration.progressInterval != nil { events.emit(.progress(metrics.snapshot(at: events.elapsed))) }
        if control.fatalError == nil && !control.isDraining {
            try? await journal?.append(.finished(status: accounts.status))
        }
        return finish(accounts: accounts, events: events, startedAt: startedAt)
    }

    // MARK: - One asset

    /// What a child of the run's task group finished with.
    private enum Finished: Sendable {
        case asset(WorkPlan.Unit, AssetOutcome)
        /// A batch fell asleep in backoff: another asset may start.
        case batchAsleep
        /// Every asset is done: nothing more to wait for.
        case noMoreSleepers
        /// Time to look again whether a table's rate still holds requests back.
        case recheck
        /// The wait before a look again was cancelled.
        case recheckCancelled
    }

    /// How soon a run that ``AssetAdmission`` held back for its tables' backlog looks again.
    static let backlogRecheckSeconds = 0.1

    /// What happened to one asset.
    struct AssetOutcome: Sendable {
        var symbol: String
        var pairs: [PollenTable: RunReport.PairReport]
        var mark: AssetMark?
        var durationSeconds: Double
        /// Why the asset was never fetched (and so left untouched), if so.
        var notFetched: String?
        /// Why the asset was left to other runs (one held it, or they did it), if it was.
        var leftToOthers: RunReport.HeldAsset?
    }

    /// One asset: its tables' leases (if the run takes leases), then its tables and its mark.
    private func process(_ unit: WorkPlan.Unit, writer: BatchWriter, marker: AssetMarker, journal: JournalWriter?,
                         unavailable: [PollenTable: String], events: EventEmitter, leases: AssetLeases?,
                         inFlight: AssetsInFlight, waitingForLease: Bool) async -> AssetOutcome {
        guard let leases else {
            return await backfillAsset(unit, writer: writer, marker: marker, journal: journal, unavailable: unavailable,
                                       events: events, leases: nil, inFlight: inFlight)
        }
        var unit = unit
        switch await takeLeases(of: unit, leases: leases, waiting: waitingForLease, events: events) {
        case .left(let reason, let holder):
            return AssetOutcome(symbol: unit.symbol, pairs: [:], mark: nil, durationSeconds: 0,
                                leftToOthers: RunReport.HeldAsset(holder: holder, reason: reason))
        case .write(let tables):
            unit.tables = tables
        }
        let tables = unit.tables
        let outcome = await leases.holding(unit.symbol, tables: tables) {
            await backfillAsset(unit, writer: writer, marker: marker, journal: journal, unavailable: unavailable,
                                events: events, leases: leases, inFlight: inFlight)
        }
        // Given up with the mark; an asset left unmarked (the run stopped first), or whose mark
        // could not be confirmed, gives them up here (a lease left behind would hold off other
        // runs, a re-run of this one included, until it ran out).
        if outcome.mark?.confirmed != true { await leases.release(unit.symbol, tables: tables) }
        return outcome
    }

    /// What to do with an asset once its leases were asked for.
    private enum LeaseDecision {
        /// Write these of its tables (the others were done by other runs since this one started).
        case write([PollenTable])
        /// Leave it: another run holds it, or other runs did it.
        case left(reason: String, holder: LeaseHolder?)
    }

    /// Takes the leases of `unit`'s tables. A live lease of another run leaves the asset to it
    /// (with `waiting`, after waiting for the lease to be given up or to run out, while the run
    /// goes on); tables other runs marked since this run started are theirs, done. A lease that
    /// cannot be read or taken (the `assets` table unreachable) leaves the asset to this run:
    /// its writes are idempotent, and its mark will say what went wrong.
    private func takeLeases(of unit: WorkPlan.Unit, leases: AssetLeases, waiting: Bool,
                            events: EventEmitter) async -> LeaseDecision {
        let symbol = unit.symbol
        while true {
            let acquisition: AssetLeases.Acquisition
            do {
                acquisition = try await leases.acquire(symbol, tables: unit.tables)
            } catch {
                return .write(unit.tables)
            }
            switch acquisition {
            case .taken(let tables, let lapsed):
                for holder in lapsed { events.emit(.leaseMet(LeaseMeeting(symbol: symbol, holder: holder, takenOver: true))) }
                return .write(tables)
            case .notRegistered:
                return .write(unit.tables)
            case .doneByOthers(let markedAt):
                return .left(reason: "written by another run since this one started (marked at \(markedAt))", holder: nil)
            case .heldByOther(let holder):
                events.emit(.leaseMet(LeaseMeeting(symbol: symbol, holder: holder, takenOver: false)))
                guard waiting, control.acceptsWork else { return .left(reason: holder.description, holder: holder) }
                let lapse = holder.expiresAt + leases.skewAllowance - clock.date().timeIntervalSince1970
                do {
                    try await clock.sleep(seconds: min(10, max(1, lapse)))
                } catch {
                    return .left(reason: holder.description, holder: holder)
                }
            }
        }
    }

    /// Loads, writes and marks one asset.
    private func backfillAsset(_ unit: WorkPlan.Unit, writer: BatchWriter, marker: AssetMarker, journal: JournalWriter?,
                       unavailable: [PollenTable: String], events: EventEmitter, leases: AssetLeases?,
                       inFlight: AssetsInFlight) async -> AssetOutcome {
        let started = clock.now()
        events.emit(.assetStarted(symbol: unit.symbol))
        let acknowledged = resume?.state.acknowledged[unit.symbol] ?? [:]
        let loader = AssetLoader(source: source, runID: configuration.runID)
        let loaded = await loader.load(symbol: unit.symbol, tables: unit.tables, at: clock.date()) { table, key in
            acknowledged[table]?.contains(key) ?? false
        }
        inFlight.loaded(unit.symbol)
        if let fatal = source.fatalError { control.abort(fatal) }
        // An asset none of whose payloads was fetched is left as it is, for a later run.
        let notFetched = loaded.compactMap { table -> String? in
            if case .notFetched(let reason) = table.content { return reason } else { return nil }
        }
        if !loaded.isEmpty && notFetched.count == loaded.count {
            var pairs: [PollenTable: RunReport.PairReport] = [:]
            for table in loaded { pairs[table.table] = await write(table, symbol: unit.symbol, writer: writer, unavailable: nil,
                                                                   events: events) }
            return AssetOutcome(symbol: unit.symbol, pairs: pairs, mark: nil, durationSeconds: clock.now() - started,
                                notFetched: notFetched[0])
        }
        var pairs: [PollenTable: RunReport.PairReport] = [:]
        await withTaskGroup(of: (PollenTable, RunReport.PairReport).self) { group in
            for table in loaded {
                group.addTask {
                    (table.table, await self.write(table, symbol: unit.symbol, writer: writer,
                                                   unavailable: unavailable[table.table], events: events))
                }
            }
            for await (table, pair) in group { pairs[table] = pair }
        }
        writer.hotKeys.forget(symbol: unit.symbol)
        writer.progress.forget(symbol: unit.symbol)

        var mark: AssetMark?
        if control.acceptsWork {
            let wrote = pairs.values.contains { $0.written + $0.alreadyWritten > 0 }
            let result = await marker.mark(symbol: unit.symbol, states: pairs.mapValues(\.state), wroteAnything: wrote,
                                           releasingLeaseOf: leases?.runId)
            try? await journal?.append(.marked(symbol: unit.symbol, status: result.status))
            events.emit(.assetMarked(result))
            mark = result
        }
        return AssetOutcome(symbol: unit.symbol, pairs: pairs, mark: mark, durationSeconds: clock.now() - started)
    }

    /// Writes one (asset, table) pair and reports it.
    private func write(_ loaded: LoadedTable, symbol: String, writer: BatchWriter, unavailable: String?,
                       events: EventEmitter) async -> RunReport.PairReport {
        let started = clock.now()
        var pair = RunReport.PairReport(
            state: .ok, reason: nil, items: loaded.items.count + loaded.alreadyWritten, written: 0,
            alreadyWritten: loaded.alreadyWritten, failed: 0, rejected: loaded.rejected, duplicates: loaded.duplicates,
            failedBatches: [], retries: 0, throttled: 0, throttleReasons: nil, unprocessed: 0, consumedUnits: 0,
            durationSeconds: 0)
        if loaded.rejectedCount > loaded.rejected.count { pair.rejectedCount = loaded.rejectedCount }
        switch loaded.content {
        case .noData:
            pair.state = .nodata
        case .failed(let reason), .notFetched(let reason):
            pair.state = .failed
            pair.reason = reason
        case .items(let items):
            events.emit(.tableLoaded(TableLoad(
                symbol: symbol, table: loaded.table, items: items.count, units: items.reduce(0) { $0 + $1.writeUnits },
                rejected: pair.rejectedTotal, duplicates: loaded.duplicates.count, alreadyWritten: loaded.alreadyWritten)))
            if let unavailable, !items.isEmpty {
                pair.state = .failed
                pair.reason = unavailable
                pair.failed = items.count
                break
            }
            let batches = WriteBatch.split(items, symbol: symbol, table: loaded.table, nextID: writer.nextBatchID)
            let outcomes = await withTaskGroup(of: BatchWriter.Outcome.self) { group in
                for batch in batches { group.addTask { await writer.write(batch) } }
                return await group.reduce(into: []) { $0.append($1) }
            }
            for outcome in outcomes {
                pair.written += outcome.written
                pair.retries += outcome.retries
                pair.throttled += outcome.throttled
                if !outcome.throttleReasons.isEmpty {
                    pair.throttleReasons = (pair.throttleReasons ?? [:]).merging(outcome.throttleReasons, uniquingKeysWith: +)
                }
                pair.unprocessed += outcome.unprocessed
                pair.consumedUnits += outcome.consumedUnits
                if let failure = outcome.failure {
                    pair.failed += failure.keys.count
                    pair.failedBatches.append(RunReport.FailedBatch(keys: failure.keys, attempts: failure.attempts,
                                                                    error: failure.error))
                }
            }
            if !pair.failedBatches.isEmpty {
                pair.state = .failed
                pair.reason = "\(pair.failed) of \(pair.items) items not written: \(pair.failedBatches[0].error)"
            } else if items.isEmpty && loaded.alreadyWritten == 0 && loaded.rejected.isEmpty {
                pair.state = .nodata
            }
        }
        if pair.state == .ok && !pair.rejected.isEmpty {
            pair.state = .failed
            pair.reason = "\(pair.rejectedTotal) records rejected: \(pair.rejected[0].reason)"
        }
        pair.durationSeconds = clock.now() - started
        events.emit(.tableFinished(TableResult(symbol: symbol, table: loaded.table, state: pair.state,
                                               written: pair.written + pair.alreadyWritten, failed: pair.failed,
                                               rejected: pair.rejectedTotal, reason: pair.reason)))
        return pair
    }

    // MARK: - Start and end

    /// Capacity and availability of each table, or a fatal reason (unreachable, bad credentials).
    private func describeTables(retrying: Retrying) async -> (infos: [TableInfo], fatal: String?) {
        var infos: [TableInfo] = []
        for table in plan.tables {
            let name = table.name(prefix: configuration.tablePrefix)
            do {
                let description = try await retrying.run { try await client.describeTable(DescribeTableInput(tableName: name)) }
                infos.append(TableInfo(table: table, name: name, capacity: TableCapacity(description)))
            } catch let error as DynamoDBError where error.category == .connection || error.category == .authentication {
                return (infos, error.category == .connection
                    ? "cannot reach DynamoDB at \(configuration.endpoint): \(error.message)"
                    : "DynamoDB rejected the credentials (\(error.code)): \(error.message)")
            } catch let error as DynamoDBError where error.code == "ResourceNotFoundException" {
                infos.append(TableInfo(table: table, name: name, provisionedWCU: nil, unavailable: "table \(name) does not exist"))
            } catch {
                infos.append(TableInfo(table: table, name: name, provisionedWCU: nil,
                                       unavailable: "table \(name) cannot be described: \(error)"))
            }
        }
        return (infos, nil)
    }

    private func openJournal(startedAt: String, events: EventEmitter) async throws -> JournalWriter? {
        guard let path = configuration.journalPath else { return nil }
        let writer = try JournalWriter(path: path)
        if writer.droppedTornBytes > 0 {
            events.emit(.alert(Alert(name: .journalTailCut, message: "the journal's torn last line (\(writer.droppedTornBytes) bytes, "
                                     + "written as the run was killed) was cut before appending; its items are sent again",
                                     value: Double(writer.droppedTornBytes), threshold: 0, active: true)))
        }
        if resume == nil {
            let header = JournalHeader(runId: configuration.runID, source: source.sourceDescription,
                                       tablePrefix: configuration.tablePrefix, work: plan.byAsset, startedAt: startedAt,
                                       endpoint: configuration.endpoint, region: configuration.region)
            try await writer.append(.run(header))
        }
        return writer
    }

    /// How often a run whose walk has ended looks whether the other runs it met are done.
    static let doneLookSeconds = 0.5

    /// Once the walk has reached every asset: looks every ``doneLookSeconds`` whether the other
    /// runs met are done (see ``OtherRuns``), until none is left.
    private func watchForDone(_ otherRuns: OtherRuns, leases: AssetLeases) async {
        while !Task.isCancelled, otherRuns.count > 0 {
            do { try await clock.sleep(seconds: Self.doneLookSeconds) } catch { return }
            await otherRuns.lookForDone(using: leases)
        }
    }

    /// How often a run reads the notes other runs leave in its leases.
    static let noteReadSeconds = 0.25

    /// Reads, every ``noteReadSeconds``, the row of one asset in flight after another, for the
    /// notes other runs left in this run's leases: the first run to start learns of the others
    /// before its slow start overshoots, and a run whose walk is held back behind its share (and
    /// so neither marks nor reaches the end of its walk soon) learns within a second or so that
    /// the others are done.
    private func readNotes(to otherRuns: OtherRuns, in inFlight: AssetsInFlight, leases: AssetLeases) async {
        var turn = 0
        while !Task.isCancelled {
            do { try await clock.sleep(seconds: Self.noteReadSeconds) } catch { return }
            let symbols = inFlight.symbols
            guard !symbols.isEmpty else { continue }
            turn += 1
            otherRuns.read(await leases.notesToThisRun(in: symbols[turn % symbols.count]))
        }
    }

    /// Emits progress every `progressInterval`, and alerts when they start or stop.
    private func tick(events: EventEmitter) async {
        guard let interval = configuration.progressInterval else { return }
        var active: Set<Alert.Kind> = []
        while !Task.isCancelled {
            do { try await clock.sleep(seconds: interval) } catch { return }
            let now = events.elapsed
            events.emit(.progress(metrics.snapshot(at: now)))
            for alert in metrics.alerts(at: now) where alert.active != active.contains(alert.name) {
                if alert.active { active.insert(alert.name) } else { active.remove(alert.name) }
                events.emit(.alert(alert))
            }
        }
    }

    private func finish(accounts: RunAccounts, events: EventEmitter, startedAt: String) -> Result {
        let elapsed = events.elapsed
        let fatal = control.fatalError
        let interrupted = control.isDraining
        let alerts = metrics.alerts(at: elapsed).filter(\.active)
        let exitCode: Int32 = fatal != nil ? 1 : interrupted ? 130 : accounts.exitCode
        let status: AssetStatus = fatal != nil ? .failed : accounts.status
        var tables = metrics.tableTotals()
        for table in plan.tables where tables[table] == nil { tables[table] = RunSummary.TableTotals() }
        var summary = RunSummary(
            status: status, exitCode: exitCode, tables: tables,
            assets: accounts.assets.mapValues { RunSummary.AssetSummary(status: $0.status, lastPollenationDate: $0.lastPollenationDate, confirmed: $0.confirmed) },
            report: configuration.reportPath, runDirectory: configuration.runDirectory, interrupted: interrupted,
            fatalError: fatal, alerts: alerts, elapsedSeconds: elapsed,
            heldByOtherRuns: accounts.held.isEmpty ? nil : accounts.held.mapValues(\.reason))
        var report = RunReport(
            runId: configuration.runID, status: status, exitCode: exitCode, startedAt: startedAt,
            finishedAt: Timestamp.iso8601(clock.date()), elapsedSeconds: elapsed, endpoint: configuration.endpoint,
            region: configuration.region, tablePrefix: configuration.tablePrefix, source: source.sourceDescription,
            resumedFrom: resume?.path, interrupted: interrupted, fatalError: fatal,
            runDirectory: configuration.runDirectory, journal: configuration.journalPath, events: configuration.eventsPath,
            tables: Dictionary(uniqueKeysWithValues: tables.map { ($0.key.rawValue, $0.value) }),
            assets: accounts.assets, alerts: alerts)
        report.heldByOtherRuns = accounts.held.isEmpty ? nil : accounts.held
        if let path = configuration.reportPath {
            do {
                try report.write(to: path)
            } catch {
                // Without its report a run cannot be re-run or audited: not a success, whatever it wrote.
                let alert = Alert(name: .reportNotWritten, message: "the report could not be written to \(path): \(error)",
                                  value: 1, threshold: 0, active: true)
                events.emit(.alert(alert))
                summary.alerts.append(alert)
                summary.report = nil
                if summary.exitCode == 0 || summary.exitCode == 2 { summary.exitCode = summary.exitCode == 0 ? 2 : 1 }
            }
        }
        control.finish { events.emit(.stateChanged(.done)) }
        events.emit(.runFinished(summary))
        var result = Result(report: report, summary: summary)
        result.report.exitCode = summary.exitCode
        return result
    }
}

/// The running tally of asset outcomes, and the status and exit code they add up to.
struct RunAccounts {
    var assets: [String: RunReport.AssetReport] = [:]
    /// Assets another run held: its work, neither done nor failed here.
    var held: [String: RunReport.HeldAsset] = [:]
    var written = 0
    var anyFailure = false
    var allConfirmed = true

    mutating func recordNotStarted(_ unit: WorkPlan.Unit, reason: String) {
        let pair = RunReport.PairReport(state: .failed, reason: reason, items: 0, written: 0, alreadyWritten: 0, failed: 0,
                                        rejected: [], duplicates: [], failedBatches: [], retries: 0, throttled: 0,
                                        throttleReasons: nil, unprocessed: 0, consumedUnits: 0, durationSeconds: 0)
        record(BackfillEngine.AssetOutcome(symbol: unit.symbol,
                                           pairs: Dictionary(uniqueKeysWithValues: unit.tables.map { ($0, pair) }),
                                           mark: nil, durationSeconds: 0))
    }

    mutating func record(_ outcome: BackfillEngine.AssetOutcome) {
        if let left = outcome.leftToOthers {
            held[outcome.symbol] = left
            return
        }
        var status = outcome.mark?.status ?? AssetMarker.runStatus(
            states: outcome.pairs.mapValues(\.state),
            wroteAnything: outcome.pairs.values.contains { $0.written + $0.alreadyWritten > 0 })
        // An asset whose row the run never marked is not complete, whatever its tables hold.
        if outcome.mark == nil && outcome.notFetched == nil && status == .complete { status = .partial }
        assets[outcome.symbol] = RunReport.AssetReport(
            status: status, lastPollenationDate: outcome.mark?.lastPollenationDate,
            confirmed: outcome.mark?.confirmed ?? false,
            markError: outcome.notFetched != nil ? nil
                : outcome.mark == nil ? "not marked: the run stopped first" : outcome.mark?.error,
            notFetched: outcome.notFetched,
            durationSeconds: outcome.durationSeconds,
            tables: Dictionary(uniqueKeysWithValues: outcome.pairs.map { ($0.key.rawValue, $0.value) }))
        for pair in outcome.pairs.values {
            written += pair.written + pair.alreadyWritten
            if pair.state == .failed { anyFailure = true }
        }
        if outcome.mark?.confirmed != true { allConfirmed = false }
    }

    var status: AssetStatus {
        if !anyFailure && allConfirmed { return .complete }
        return written > 0 ? .partial : .failed
    }

    /// 0: everything written and confirmed; 2: partial success; 1: nothing written.
    var exitCode: Int32 {
        switch status {
        case .complete: return 0
        case .partial: return 2
        case .failed: return anyFailure ? 1 : 2
        }
    }
}
