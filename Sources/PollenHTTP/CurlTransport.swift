import CCurl
import Foundation
import Synchronization

/// The production ``HTTPTransport``: HTTP/1.1 and TLS through libcurl's multi interface.
///
/// One background thread drives every transfer with `curl_multi_poll`, so any number of
/// concurrent requests share one connection cache (keep-alive) without a thread each.
/// Requests are handed over through a lock-protected inbox and `curl_multi_wakeup`.
public final class CurlTransport: HTTPTransport {
    private let loop: CurlMultiLoop
    private let configuration: TransportConfiguration

    public init(configuration: TransportConfiguration = TransportConfiguration()) {
        self.configuration = configuration
        self.loop = CurlMultiLoop(configuration: configuration)
    }

    deinit {
        loop.shutdown()
    }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        if let refusal = configuration.refusal(for: request.url) { throw refusal }
        let transfer = CurlTransfer(request: request)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                transfer.continuation = continuation
                loop.submit(transfer)
            }
        } onCancel: {
            loop.cancel(transfer)
        }
    }
}

/// The thread that owns the curl multi handle and every easy handle in it.
final class CurlMultiLoop: @unchecked Sendable {
    private struct Inbox {
        var submitted: [CurlTransfer] = []
        var cancelled: [CurlTransfer] = []
        var shuttingDown = false
    }

    private static let globalInit: Void = { curl_global_init(Int(CURL_GLOBAL_DEFAULT)) }()

    private let configuration: TransportConfiguration
    private let multi: UnsafeMutableRawPointer
    private let inbox = Mutex(Inbox())
    // Touched only on the loop thread.
    private var active: [UnsafeMutableRawPointer: CurlTransfer] = [:]
    private var idleHandles: [UnsafeMutableRawPointer] = []

    init(configuration: TransportConfiguration) {
        _ = Self.globalInit
        self.configuration = configuration
        guard let multi = curl_multi_init() else { fatalError("curl_multi_init failed: out of memory") }
        self.multi = multi
        _ = pollen_curl_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, configuration.maxIdleConnections)
        let thread = Thread { [self] in run() }
        thread.name = "pollen.curl"
        thread.start()
    }

    func submit(_ transfer: CurlTransfer) {
        inbox.withLock { $0.submitted.append(transfer) }
        curl_multi_wakeup(multi)
    }

    func cancel(_ transfer: CurlTransfer) {
        inbox.withLock { $0.cancelled.append(transfer) }
        curl_multi_wakeup(multi)
    }

    func shutdown() {
        inbox.withLock { $0.shuttingDown = true }
        curl_multi_wakeup(multi)
    }

    private func run() {
        while true {
            let (submitted, cancelled, stopping) = inbox.withLock { box in
                defer { box.submitted.removeAll(); box.cancelled.removeAll() }
                return (box.submitted, box.cancelled, box.shuttingDown)
            }
            for transfer in submitted { start(transfer) }
            for transfer in cancelled { abort(transfer, with: .cancelled) }
            if stopping {
                for transfer in Array(active.values) { abort(transfer, with: .cancelled) }
                break
            }
            var running: Int32 = 0
            curl_multi_perform(multi, &running)
            collectFinishedTransfers()
            curl_multi_poll(multi, nil, 0, 1_000, nil)
        }
        for handle in idleHandles { curl_easy_cleanup(handle) }
        curl_multi_cleanup(multi)
    }

    private func start(_ transfer: CurlTransfer) {
        let handle = idleHandles.popLast() ?? curl_easy_init()
        guard let handle else {
            transfer.finish(.failure(HTTPTransportError.other("curl_easy_init failed")))
            return
        }
        if let problem = transfer.configure(handle, configuration: configuration) {
            curl_easy_reset(handle)
            idleHandles.append(handle)
            transfer.finish(.failure(problem))
            return
        }
        active[handle] = transfer
        curl_multi_add_handle(multi, handle)
    }

    private func abort(_ transfer: CurlTransfer, with error: HTTPTransportError) {
        guard let handle = active.first(where: { $0.value === transfer })?.key else { return }
        release(handle)
        transfer.finish(.failure(error))
    }

    private func collectFinishedTransfers() {
        var queued: Int32 = 0
        while let message = curl_multi_info_read(multi, &queued) {
            guard message.pointee.msg == CURLMSG_DONE, let handle = message.pointee.easy_handle,
                  let transfer = active[handle] else { continue }
            let code = message.pointee.data.result
            let outcome = transfer.outcome(code: code, handle: handle)
            release(handle)
            transfer.finish(outcome)
        }
    }

    private func release(_ handle: UnsafeMutableRawPointer) {
        curl_multi_remove_handle(multi, handle)
        active[handle]?.freeHeaderList()
        active[handle] = nil
        curl_easy_reset(handle)
        idleHandles.append(handle)
    }
}
