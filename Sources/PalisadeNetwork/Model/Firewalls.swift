import PalisadeModel

/// A network or DNAT rule of an Azure Firewall, compiled to a packet set (F11, F13–F16).
public struct CompiledFirewallRule: Sendable, Hashable {
    /// `RCG/collection/rule` (policy) or `collection/rule` (classic).
    public var path: String
    /// Collection action.
    public var action: FirewallRuleCollection.Action
    /// Matched packets (source × destination × protocol × destination ports).
    public let match: PacketSet
    /// DNAT translation target.
    public var translatedAddress: IPv4Address?
    /// DNAT translated port.
    public var translatedPort: Int?
    /// Notes from compilation (unresolved FQDNs, empty IP groups…).
    public var notes: [String]
    /// The bounding box of `match`, for skipping rules cheaply.
    public let envelope: PacketEnvelope

    /// Creates a compiled rule.
    public init(path: String, action: FirewallRuleCollection.Action, match: PacketSet, translatedAddress: IPv4Address? = nil,
                translatedPort: Int? = nil, notes: [String]) {
        self.path = path
        self.action = action
        self.match = match
        self.translatedAddress = translatedAddress
        self.translatedPort = translatedPort
        self.notes = notes
        envelope = PacketEnvelope(match)
    }
}

/// An application rule of an Azure Firewall (F17–F21).
public struct CompiledApplicationRule: Sendable, Hashable {
    /// `RCG/collection/rule`.
    public var path: String
    /// Collection action.
    public var action: FirewallRuleCollection.Action
    /// Sources.
    public var sources: AddressSet
    /// `Https:443` entries.
    public var protocols: [ApplicationProtocol]
    /// Target FQDN patterns (F19).
    public var targets: [FQDNPattern]
    /// FQDN tags (F20), symbolic.
    public var fqdnTags: [String]

    /// Whether the rule matches a TLS/HTTP request for `host` on `port` from `source` (F17–F19).
    func matches(source: Address, host: String, port: Int) -> Bool {
        sources.contains(source) && protocols.contains { $0.port == port } && targets.contains { $0.matches(host) }
    }
}

/// An Azure Firewall with its ordered rule lists (F8: DNAT, then network, then application).
public struct CompiledFirewall: Sendable, Hashable {
    /// The firewall.
    public var id: ResourceID
    /// Name.
    public var name: String { id.name }
    /// Data-path private IP.
    public var privateAddress: IPv4Address
    /// Subnet (AzureFirewallSubnet).
    public var subnet: ResourceID
    /// The VNet.
    public var virtualNetwork: ResourceID
    /// Public IPs (egress identity and DNAT frontends).
    public var publicAddresses: [IPv4Address]
    /// DNS proxy (F16).
    public var dnsProxyEnabled: Bool
    /// Destinations not SNATed for network rules (F24).
    public var snatExempt: IntervalSet
    /// DNAT rules in order.
    public var natRules: [CompiledFirewallRule]
    /// Network rules in order.
    public var networkRules: [CompiledFirewallRule]
    /// Application rules in order.
    public var applicationRules: [CompiledApplicationRule]
    /// Threat-intel mode (F5; only Alert-and-deny changes reachability and it needs live feeds: not modelled).
    public var threatIntelMode: ThreatIntelMode
}

/// A firewall's verdict on one packet.
public struct FirewallDecision: Sendable, Hashable, Codable {
    /// Allowed or not.
    public var allowed: Bool
    /// `DNAT`, `Network`, `Application`, `Infrastructure` or `Default`.
    public var ruleType: String
    /// The rule that decided, or the default-deny text.
    public var rule: String
    /// SNAT source after the firewall, if translated (F24).
    public var snat: IPv4Address?
    /// DNAT destination, if translated (F11).
    public var dnat: IPv4Address?
    /// DNAT port.
    public var dnatPort: Int?
}

extension CompiledFirewall {
    /// Evaluates a packet: DNAT (to a public IP) → network rules → application rules → infrastructure →
    /// default deny (F4, F8, F9, F11, F12).
    public func decide(_ packet: Packet) -> FirewallDecision {
        if let ip = packet.destination.ip, publicAddresses.contains(ip) {
            for rule in natRules where rule.match.contains(packet) {
                // F11 (2023 rev): a DNAT match is allowed and not subject to network rules; F12: no app rules.
                return FirewallDecision(allowed: true, ruleType: "DNAT", rule: rule.path, snat: nil,
                                        dnat: rule.translatedAddress, dnatPort: rule.translatedPort)
            }
            return FirewallDecision(allowed: false, ruleType: "Default", rule: "no DNAT rule matched (F4)")
        }
        for rule in networkRules where rule.match.contains(packet) {
            let allowed = rule.action == .allow
            return FirewallDecision(allowed: allowed, ruleType: "Network", rule: rule.path,
                                    snat: allowed ? networkSNAT(packet.destination) : nil)
        }
        // F9: application rules only for HTTP/HTTPS/MSSQL; HTTPS matches on SNI (F17), so a name is needed.
        if packet.protocol == .tcp, let host = packet.hostName {
            for rule in applicationRules where rule.matches(source: packet.source, host: host, port: packet.destinationPort) {
                let allowed = rule.action == .allow
                return FirewallDecision(allowed: allowed, ruleType: "Application", rule: rule.path,
                                        snat: allowed ? privateAddress : nil)  // F24: application rules always SNAT
            }
            // F10: the infrastructure collection allows platform storage/MDS names; none is modelled here.
        }
        return FirewallDecision(allowed: false, ruleType: "Default", rule: "default deny: no rule matched (F4)")
    }

    /// SNAT for a network-rule flow: none when the destination is in the private-range list (F24).
    func networkSNAT(_ destination: Address) -> IPv4Address? {
        if let ip = destination.ip, snatExempt.contains(ip.value) { return nil }
        return privateAddress
    }
}
