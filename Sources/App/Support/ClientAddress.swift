import Vapor

extension Request {
    /// The client's address: the socket peer, unless that peer is a configured reverse proxy, in which case
    /// the last address it appended to `X-Forwarded-For`. A client cannot forge its address by sending the
    /// header itself (Vapor's `peerAddress` would believe it).
    var clientAddress: String {
        let socket = remoteAddress?.ipAddress ?? "unknown"
        guard application.honors.trustedProxies.contains(socket),
              let forwarded = headers.first(name: "X-Forwarded-For")?
                .split(separator: ",").last?.trimmingCharacters(in: .whitespaces),
              !forwarded.isEmpty
        else { return socket }
        return forwarded
    }
}
