import PalisadeNetwork

extension Evidence {
    /// A packet trace as evidence: the verdict line, then one line per hop in Network Watcher's vocabulary.
    static func trace(_ trace: Trace) -> Evidence {
        .trace("\(trace.source) → \(trace.destination) \(trace.protocol)/\(trace.port): \(trace.verdict.rawValue) (\(trace.reason))",
               hops: trace.hops.map { hop in
                   "\(hop.kind) \(hop.resource)\(hop.rule.map { " [\($0)]" } ?? ""): \(hop.result) — \(hop.detail)"
               })
    }
}

extension Trace {
    /// Whether the packet passed an Azure Firewall on its way.
    var passesFirewall: Bool { hops.contains { $0.kind == "AzureFirewall" } }
}
