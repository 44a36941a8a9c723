import Foundation
import PalisadeModel

/// The outcome of a trace.
public enum Verdict: String, Sendable, Hashable, Codable {
    /// The network delivers the packet.
    case allowed
    /// Something drops it.
    case denied
}

/// One step of a trace, in Network Watcher's vocabulary.
public struct TraceHop: Sendable, Hashable, Codable {
    /// `DNS`, `NSG`, `Route`, `AzureFirewall`, `Peering`, `PrivateEndpoint`, `PublicEndpoint`, `NVA`,
    /// `Platform`, `PublicIP`, `Internet`, `VirtualNetworkGateway`, `ManagedNetwork`, `Delivery`, `ReturnPath`.
    public var kind: String
    /// The resource at this step (NSG, route table or subnet, firewall, endpoint…).
    public var resource: String
    /// The rule or route that decided, when there is one (e.g. `DenyAllInBound`, `0.0.0.0/0 → VirtualAppliance`).
    public var rule: String?
    /// `Allow`, `Deny`, or a next hop type.
    public var result: String
    /// One line of explanation with rule IDs.
    public var detail: String

    /// Creates a hop.
    public init(kind: String, resource: String, rule: String? = nil, result: String, detail: String) {
        self.kind = kind
        self.resource = resource
        self.rule = rule
        self.result = result
        self.detail = detail
    }
}

/// The answer to `trace`: a verdict, the hops that led to it, and the assumptions it rests on.
public struct Trace: Sendable, Hashable, Codable {
    /// Allowed or denied.
    public var verdict: Verdict
    /// The source as understood.
    public var source: String
    /// The destination as understood (after DNS).
    public var destination: String
    /// Protocol.
    public var `protocol`: String
    /// Destination port.
    public var port: Int
    /// The hops, in order.
    public var hops: [TraceHop]
    /// Why the verdict is what it is, in one line.
    public var reason: String
    /// Assumptions the verdict depends on (allocated addresses, representative addresses, custom DNS…).
    public var assumptions: [String]

    /// Deterministic JSON (`{"verdict": "allowed" | "denied", "hops": [...], ...}`, sorted keys).
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// Plain-text rendering, one hop per line.
    public var text: String {
        var lines = ["trace \(source) → \(destination) \(`protocol`.lowercased())/\(port)"]
        for (i, hop) in hops.enumerated() {
            let rule = hop.rule.map { " [\($0)]" } ?? ""
            lines.append("  \(i + 1). \(hop.kind) \(hop.resource)\(rule): \(hop.result) — \(hop.detail)")
        }
        lines.append("verdict: \(verdict.rawValue) — \(reason)")
        for a in assumptions { lines.append("assumption: \(a)") }
        return lines.joined(separator: "\n")
    }
}

/// Traces of one flow under several protocols (`trace --protocol any`).
public struct ProtocolSweep: Sendable, Hashable, Codable {
    /// Allowed when some protocol is allowed.
    public var verdict: Verdict
    /// The hops of the deciding trace: the first allowed one, else the first (TCP).
    public var hops: [TraceHop]
    /// One trace per protocol, TCP, UDP then ICMP.
    public var traces: [Trace]

    /// A sweep over `traces` (in protocol order).
    public init(traces: [Trace]) {
        self.traces = traces
        let deciding = traces.first { $0.verdict == .allowed } ?? traces.first
        verdict = deciding?.verdict ?? .denied
        hops = deciding?.hops ?? []
    }

    /// Each trace, then a summary line.
    public var text: String {
        let summary = traces.map { "\($0.protocol.lowercased()) \($0.verdict.rawValue)" }.joined(separator: ", ")
        return (traces.map(\.text) + ["verdict (any protocol): \(verdict.rawValue) — \(summary)"]).joined(separator: "\n\n")
    }

    /// Deterministic JSON (`{"verdict": ..., "hops": [...], "traces": [...]}`, sorted keys).
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}

/// Where a trace starts.
public enum TraceSource: Sendable, Hashable {
    /// A subnet (a VM in it with no NIC-level NSG, or its first NIC).
    case subnet(ResourceID)
    /// A private address (a NIC's, or any address inside a subnet).
    case address(IPv4Address)
    /// A host on the Internet.
    case internet
    /// A point-to-site VPN client.
    case vpnClient
    /// Compute in an AML workspace's managed network (docs/semantics.md#managed-network-modes, #managed-network-outbound-rules).
    case managedNetwork(ResourceID)
}

/// Where a trace goes.
public enum TraceDestination: Sendable, Hashable {
    /// An IPv4 address.
    case address(IPv4Address)
    /// A DNS name, resolved as seen from the source.
    case name(String)
    /// A service tag (a representative address of the tag).
    case serviceTag(String)
}

/// Errors for unknown or ambiguous user input in `trace`/`reach` queries.
public enum NetworkQueryError: Error, Equatable, CustomStringConvertible {
    /// No source matches the text.
    case unknownSource(String)
    /// Several subnets match; qualify as `vnet/subnet`.
    case ambiguousSource(String, candidates: [String])
    /// No destination matches the text.
    case unknownDestination(String)
    /// The source is known but this model has none (e.g. `vpn-client` without a VPN gateway).
    case unavailableSource(String, reason: String)

    public var description: String {
        switch self {
        case .unknownSource(let s): "unknown source '\(s)': expected a subnet, NIC/VM, compute, 'internet', 'vpn-client' or an IP"
        case .ambiguousSource(let s, let c): "source '\(s)' is ambiguous; use one of: \(c.joined(separator: ", "))"
        case .unknownDestination(let d): "unknown destination '\(d)': expected an IP, DNS name, service tag or resource name"
        case .unavailableSource(let s, let reason): "source '\(s)' is not available: \(reason)"
        }
    }
}
