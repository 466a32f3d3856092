import EdgeRuntime
import Foundation
import HTTPTypes
import NIOCore

extension EdgeRuntime.Request {
    /// The request a worker sees for an HTTP request head read from a connection: an absolute
    /// `http://host:port/path?query` URL, the client's headers with `host` first, and
    /// `cf-connecting-ip` set to the peer's address as Cloudflare sets it (a value the client sent
    /// is replaced). `nil` when the target does not form a URL.
    ///
    /// The URL is what workerd's `request.url` is: the target as the WHATWG URL parser reads it,
    /// percent-encoding kept (`/a%2Fb` stays one segment), dot segments resolved, characters a
    /// path cannot hold encoded. A target of printable ASCII with no dot segment and no `\` (what
    /// clients send) is already in that form and skips the full parse.
    init?(head: HTTPRequest, body: ReadableStream, channel: any Channel) {
        let authority = head.authority ?? channel.localAddress.map(Self.authority(of:)) ?? "localhost"
        let target = head.path ?? "/"
        guard target.hasPrefix("/") else { return nil }
        let text = "http://\(authority)\(target)"
        let parsed = URLParser.isNormalTarget(target) ? URL(string: text) : URLParser.parse(text)
        guard let url = parsed, url.host != nil else { return nil }
        // In one pass: `host` first, the client's fields, and our `cf-connecting-ip` in place of theirs.
        var fields = HTTPFields()
        fields.reserveCapacity(head.headerFields.count + 2)
        fields.append(HTTPField(name: .host, value: authority))
        for field in head.headerFields where field.name != .cfConnectingIP { fields.append(field) }
        if let address = channel.remoteAddress?.ipAddress { fields.append(HTTPField(name: .cfConnectingIP, value: address)) }
        self.init(url: url, method: head.method, headers: Headers(fields), body: body)
    }

    private static func authority(of address: SocketAddress) -> String {
        let host = address.ipAddress ?? "localhost"
        let port = address.port.map { ":\($0)" } ?? ""
        return address.protocol == .inet6 ? "[\(host)]\(port)" : "\(host)\(port)"
    }
}

extension HTTPField.Name {
    /// `Host`, which swift-http-types carries as the `:authority` pseudo-header.
    static let host = HTTPField.Name("host")!
    /// `CF-Connecting-IP`: the client's address, as Cloudflare adds it.
    static let cfConnectingIP = HTTPField.Name("cf-connecting-ip")!
    /// `Keep-Alive`, hop-by-hop.
    static let keepAlive = HTTPField.Name("keep-alive")!
    /// `Proxy-Connection`, hop-by-hop.
    static let proxyConnection = HTTPField.Name("proxy-connection")!
}
