import CCurl
import Foundation

/// One request on its way through curl: what to send, what has come back so far, and the
/// continuation to resume when it ends. Lives on the curl loop thread once submitted.
final class CurlTransfer: @unchecked Sendable {
    let request: HTTPRequest
    var continuation: CheckedContinuation<HTTPResponse, Error>?
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private var responseHeaders = HTTPHeaders()
    private var responseBody = Data()
    private var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)

    init(request: HTTPRequest) {
        self.request = request
    }

    /// Sets every option of `handle` for this request; returns why it cannot be sent, if so.
    func configure(_ handle: UnsafeMutableRawPointer, configuration: TransportConfiguration) -> HTTPTransportError? {
        let userData = Unmanaged.passUnretained(self).toOpaque()
        var codes: [CURLcode] = []
        codes.append(request.url.absoluteString.withCString { pollen_curl_easy_setopt_pointer(handle, CURLOPT_URL, $0) })
        codes.append("http,https".withCString { pollen_curl_easy_setopt_pointer(handle, CURLOPT_PROTOCOLS_STR, $0) })
        codes.append(pollen_curl_easy_setopt_long(handle, CURLOPT_NOSIGNAL, 1))
        codes.append(pollen_curl_easy_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, 1))
        codes.append(pollen_curl_easy_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, 2))
        codes.append(pollen_curl_easy_setopt_long(handle, CURLOPT_TCP_KEEPALIVE, 1))
        codes.append(pollen_curl_easy_setopt_long(handle, CURLOPT_TCP_NODELAY, 1))
        codes.append(pollen_curl_easy_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, configuration.connectTimeoutMilliseconds))
        codes.append(pollen_curl_easy_setopt_long(handle, CURLOPT_TIMEOUT_MS, configuration.requestTimeoutMilliseconds))
        codes.append(errorBuffer.withUnsafeMutableBufferPointer {
            pollen_curl_easy_setopt_pointer(handle, CURLOPT_ERRORBUFFER, $0.baseAddress)
        })
        codes.append(pollen_curl_easy_setopt_data_callback(handle, CURLOPT_WRITEFUNCTION, curlWriteBody))
        codes.append(pollen_curl_easy_setopt_pointer(handle, CURLOPT_WRITEDATA, userData))
        codes.append(pollen_curl_easy_setopt_data_callback(handle, CURLOPT_HEADERFUNCTION, curlWriteHeader))
        codes.append(pollen_curl_easy_setopt_pointer(handle, CURLOPT_HEADERDATA, userData))

        switch request.method.uppercased() {
        case "GET" where request.body.isEmpty:
            codes.append(pollen_curl_easy_setopt_long(handle, CURLOPT_HTTPGET, 1))
        default:
            codes.append(pollen_curl_easy_setopt_off(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(request.body.count)))
            codes.append(request.body.withUnsafeBytes {
                pollen_curl_easy_setopt_pointer(handle, CURLOPT_COPYPOSTFIELDS, $0.baseAddress ?? UnsafeRawPointer(bitPattern: 1))
            })
            if request.method.uppercased() != "POST" {
                codes.append(request.method.withCString { pollen_curl_easy_setopt_pointer(handle, CURLOPT_CUSTOMREQUEST, $0) })
            }
        }

        // curl adds `Expect: 100-continue` to larger POSTs, costing a round trip; an empty
        // value removes a header curl would add, and `Name;` sends a header with no value.
        var lines = ["Expect:"]
        for field in request.headers {
            lines.append(field.value.isEmpty ? "\(field.name);" : "\(field.name): \(field.value)")
        }
        for line in lines {
            headerList = line.withCString { curl_slist_append(headerList, $0) }
        }
        codes.append(pollen_curl_easy_setopt_pointer(handle, CURLOPT_HTTPHEADER, headerList))

        if let failed = codes.first(where: { $0 != CURLE_OK }) {
            return .invalidRequest("curl refused an option: \(String(cString: curl_easy_strerror(failed)))")
        }
        return nil
    }

    func appendBody(_ bytes: UnsafeRawBufferPointer) {
        responseBody.append(contentsOf: bytes)
    }

    func appendHeaderLine(_ line: String) {
        let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("HTTP/") {
            responseHeaders = HTTPHeaders()  // a new status line: 100-continue or a redirect
            return
        }
        guard let colon = trimmed.firstIndex(of: ":") else { return }
        let name = String(trimmed[..<colon])
        let value = trimmed[trimmed.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        responseHeaders.add(name: name, value: value)
    }

    /// The response, or the transport error that `code` stands for.
    func outcome(code: CURLcode, handle: UnsafeMutableRawPointer) -> Result<HTTPResponse, Error> {
        guard code == CURLE_OK else { return .failure(transportError(for: code)) }
        var status = 0
        _ = pollen_curl_easy_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        return .success(HTTPResponse(status: status, headers: responseHeaders, body: responseBody))
    }

    func finish(_ outcome: Result<HTTPResponse, Error>) {
        freeHeaderList()
        continuation?.resume(with: outcome)
        continuation = nil
    }

    func freeHeaderList() {
        if let headerList { curl_slist_free_all(headerList) }
        headerList = nil
    }

    private func transportError(for code: CURLcode) -> HTTPTransportError {
        let host = request.url.host ?? "?"
        let detail = errorBuffer.withUnsafeBufferPointer { buffer -> String in
            let text = String(cString: buffer.baseAddress!)
            return text.isEmpty ? String(cString: curl_easy_strerror(code)) : text
        }
        let where_ = "\(host): \(Self.withoutQuery(detail))"
        switch code {
        case CURLE_COULDNT_RESOLVE_HOST: return .unresolvableHost(host)
        case CURLE_COULDNT_CONNECT: return .connectFailed(where_)
        case CURLE_OPERATION_TIMEDOUT: return .timedOut(where_)
        case CURLE_GOT_NOTHING, CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_PARTIAL_FILE:
            return .connectionReset(where_)
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM,
             CURLE_SSL_CACERT_BADFILE, CURLE_SSL_CIPHER:
            return .tlsFailure(where_)
        default: return .other(where_)
        }
    }

    /// curl's messages can quote the URL; a query string may carry an API key.
    private static func withoutQuery(_ text: String) -> String {
        guard let question = text.firstIndex(of: "?") else { return text }
        return String(text[..<question]) + "?…"
    }
}

private let curlWriteBody: pollen_curl_data_callback = { data, size, count, userData in
    guard let userData else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(userData).takeUnretainedValue()
    let length = size * count
    if let data, length > 0 { transfer.appendBody(UnsafeRawBufferPointer(start: data, count: length)) }
    return length
}

private let curlWriteHeader: pollen_curl_data_callback = { data, size, count, userData in
    guard let userData else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(userData).takeUnretainedValue()
    let length = size * count
    if let data, length > 0 {
        let bytes = UnsafeRawBufferPointer(start: data, count: length)
        transfer.appendHeaderLine(String(decoding: bytes, as: UTF8.self))
    }
    return length
}
