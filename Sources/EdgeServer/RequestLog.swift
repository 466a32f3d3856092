import EdgeRuntime
import Foundation
import HTTPTypes
import Logging

/// The request log line, as wrangler prints it: `GET /path 200 OK (3ms)`.
///
/// wrangler's `maybeLogRequest` logs `<METHOD> <pathname> <status> <statusText> (<ms>ms)` once
/// the response head is ready; so do we (for streams and WebSockets that is when the head is sent,
/// not when the body ends). The console handler adds the `[edge:info]` prefix.
enum RequestLog {
    /// The line for one request.
    static func line(method: HTTPRequest.Method, path: String, status: HTTPResponse.Status, duration: Duration) -> String {
        let milliseconds = Int((duration / .milliseconds(1)).rounded())
        return "\(method.rawValue) \(path) \(status.code) \(statusText(status)) (\(milliseconds)ms)"
    }

    /// The pathname of a request target, percent-encoding kept as sent, without the query.
    static func pathname(of url: URL) -> String {
        // The URL's own parsed path (every request checks it against the control routes), not
        // a second parse through URLComponents.
        let path = url.path(percentEncoded: true)
        return path.isEmpty ? "/" : path
    }

    /// The path as logs show it: ``pathname(of:)`` (never the query, where browsers put keys:
    /// `?key=`), with each segment that looks like a bearer token replaced by `[redacted]`, so
    /// capability URLs (`/v1/track/<token>`) leave no usable secret in a log.
    ///
    /// A segment looks like a token when it has 20 or more characters, all of them URL-safe
    /// base64 (`A-Z a-z 0-9 - _`), with upper- and lowercase letters mixed: random tokens nearly
    /// always are (a 32-character one lacks an uppercase letter with a chance of 1 in 10^7),
    /// while lowercase hex ids, UUIDs and file names with an extension are not.
    static func loggedPath(of url: URL) -> String {
        pathname(of: url).split(separator: "/", omittingEmptySubsequences: false)
            .map { looksLikeToken($0) ? "[redacted]" : String($0) }
            .joined(separator: "/")
    }

    static func looksLikeToken(_ segment: Substring) -> Bool {
        guard segment.utf8.count >= 20 else { return false }
        var upper = false, lower = false
        for byte in segment.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): upper = true
            case UInt8(ascii: "a")...UInt8(ascii: "z"): lower = true
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"): continue
            default: return false
            }
        }
        return upper && lower
    }

    /// The status text: the reason phrase the response carries, else the standard one.
    static func statusText(_ status: HTTPResponse.Status) -> String {
        status.reasonPhrase.isEmpty ? standardReasonPhrase(status.code) : status.reasonPhrase
    }

    /// The status with its standard reason phrase filled in when it has none, for the wire.
    static func withReasonPhrase(_ status: HTTPResponse.Status) -> HTTPResponse.Status {
        guard status.reasonPhrase.isEmpty else { return status }
        return HTTPResponse.Status(code: status.code, reasonPhrase: standardReasonPhrase(status.code))
    }

    /// Reason phrases as Node's `http.STATUS_CODES` (what wrangler's log shows).
    static func standardReasonPhrase(_ code: Int) -> String {
        reasonPhrases[code] ?? ""
    }

    private static let reasonPhrases: [Int: String] = [
        100: "Continue", 101: "Switching Protocols", 102: "Processing", 103: "Early Hints",
        200: "OK", 201: "Created", 202: "Accepted", 203: "Non-Authoritative Information", 204: "No Content",
        205: "Reset Content", 206: "Partial Content", 207: "Multi-Status", 208: "Already Reported", 226: "IM Used",
        300: "Multiple Choices", 301: "Moved Permanently", 302: "Found", 303: "See Other", 304: "Not Modified",
        305: "Use Proxy", 307: "Temporary Redirect", 308: "Permanent Redirect",
        400: "Bad Request", 401: "Unauthorized", 402: "Payment Required", 403: "Forbidden", 404: "Not Found",
        405: "Method Not Allowed", 406: "Not Acceptable", 407: "Proxy Authentication Required",
        408: "Request Timeout", 409: "Conflict", 410: "Gone", 411: "Length Required", 412: "Precondition Failed",
        413: "Payload Too Large", 414: "URI Too Long", 415: "Unsupported Media Type", 416: "Range Not Satisfiable",
        417: "Expectation Failed", 418: "I'm a Teapot", 421: "Misdirected Request", 422: "Unprocessable Entity",
        423: "Locked", 424: "Failed Dependency", 425: "Too Early", 426: "Upgrade Required",
        428: "Precondition Required", 429: "Too Many Requests", 431: "Request Header Fields Too Large",
        451: "Unavailable For Legal Reasons",
        500: "Internal Server Error", 501: "Not Implemented", 502: "Bad Gateway", 503: "Service Unavailable",
        504: "Gateway Timeout", 505: "HTTP Version Not Supported", 506: "Variant Also Negotiates",
        507: "Insufficient Storage", 508: "Loop Detected", 509: "Bandwidth Limit Exceeded", 510: "Not Extended",
        511: "Network Authentication Required",
    ]
}

extension Logger {
    /// Logs the request line at info level.
    func logRequest(method: HTTPRequest.Method, url: URL, status: HTTPResponse.Status, since start: ContinuousClock.Instant) {
        guard logLevel <= .info else { return }  // the line is built only when it will be written
        let line = RequestLog.line(
            method: method,
            path: RequestLog.loggedPath(of: url),
            status: status,
            duration: ContinuousClock.now - start
        )
        info("\(line)")
    }
}
