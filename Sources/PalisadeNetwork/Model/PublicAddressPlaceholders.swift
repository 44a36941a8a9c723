import PalisadeModel

/// Planned environments (specs, templates) have public IPs whose addresses Azure assigns only at deployment.
/// To reason about what the Internet can reach, each such public IP is represented by an address from
/// 198.51.100.0/24 (RFC 5737 TEST-NET-2), handed out in resource-ID order; verdicts that depend on one carry
/// an assumption saying so. Public IPs with a known address (exports of deployed resources) keep it.
enum PublicAddressPlaceholders {
    /// The documentation range placeholders come from.
    static let range = IPv4Prefix("198.51.100.0/24")!

    /// The graph with placeholder addresses filled in, and one note per placeholder.
    static func assign(_ graph: ResourceGraph) -> (ResourceGraph, [String]) {
        var copy = graph
        var notes: [String] = []
        let taken = Set(graph.all(PublicIPAddress.self).compactMap(\.ipAddress))
        var next = range.network.advanced(by: 10)
        for pip in graph.all(PublicIPAddress.self) where pip.ipAddress == nil {
            while taken.contains(next) { next = next.advanced(by: 1) }
            guard range.contains(next) else { break }
            var filled = pip
            filled.ipAddress = next
            copy.insert(filled)
            notes.append("public IP \(pip.name) has no address until deployment; represented by \(next)")
            next = next.advanced(by: 1)
        }
        return (copy, notes)
    }
}
