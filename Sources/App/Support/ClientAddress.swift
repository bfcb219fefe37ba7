import Vapor

extension Request {
    /// The client's address: the socket peer, unless that peer is a configured reverse proxy, in which case
    /// the last address it appended to `X-Forwarded-For`. A client cannot forge its address by sending the
    /// header itself (Vapor's `peerAddress` would believe it).
    var clientAddress: String {
        let socket = remoteAddress?.ipAddress ?? "unknown"
        guard application.honors.trustedProxies.contains(socket),
              let header = headers.first(name: "X-Forwarded-For")
        else { return socket }
        // A proxy's header with nothing in its last place names nobody: not the proxy itself.
        let forwarded = header.split(separator: ",", omittingEmptySubsequences: false).last?
            .trimmingCharacters(in: .whitespaces) ?? ""
        return forwarded.isEmpty ? "unknown" : forwarded
    }
}
