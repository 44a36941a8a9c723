import PalisadeModel

/// A network or DNAT rule of an Azure Firewall, compiled to a packet set (docs/semantics.md#firewall-dnat, #firewall-network-rules).
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

/// An application rule of an Azure Firewall (docs/semantics.md#firewall-application-rules).
public struct CompiledApplicationRule: Sendable, Hashable {
    /// `RCG/collection/rule`.
    public var path: String
    /// Collection action.
    public var action: FirewallRuleCollection.Action
    /// Sources.
    public var sources: AddressSet
    /// `Https:443` entries.
    public var protocols: [ApplicationProtocol]
    /// Target FQDN patterns (docs/semantics.md#firewall-fqdn-wildcards).
    public var targets: [FQDNPattern]
    /// FQDN tags as written (docs/semantics.md#firewall-fqdn-tags).
    public var fqdnTags: [String]
    /// The documented names of the rule's FQDN tags (docs/semantics.md#firewall-fqdn-tags, `FirewallFQDNTags`), matched on `tagProtocols` only.
    public var tagTargets: [FQDNPattern]
    /// The rule's `Https` entries: FQDN tags need protocol https (docs/semantics.md#firewall-fqdn-tags).
    public var tagProtocols: [ApplicationProtocol]
    /// The rule's tags without a published name list: they match no concrete host (docs/semantics.md#firewall-fqdn-tags, see `FirewallFQDNTags`).
    public var unpublishedTags: [String]

    /// Creates a rule, resolving its FQDN tags against the documented table (docs/semantics.md#firewall-fqdn-tags).
    public init(path: String, action: FirewallRuleCollection.Action, sources: AddressSet, protocols: [ApplicationProtocol],
                targets: [FQDNPattern], fqdnTags: [String] = []) {
        self.path = path
        self.action = action
        self.sources = sources
        self.protocols = protocols
        self.targets = targets
        self.fqdnTags = fqdnTags
        var names: [FQDNPattern] = []
        var symbolic: [String] = []
        for tag in fqdnTags {
            if let published = FirewallFQDNTags.lookup(tag)?.published { names += published } else { symbolic.append(tag) }
        }
        tagTargets = names
        unpublishedTags = symbolic
        // docs/semantics.md#firewall-fqdn-tags: "When you select FQDN Tag in an application rule, set the protocol:port field to https" (FWTAGS).
        tagProtocols = fqdnTags.isEmpty ? [] : protocols.filter { $0.type.lowercased() == "https" }
    }

    /// Whether the rule matches a TLS/HTTP request for `host` on `port` from `source` (docs/semantics.md#firewall-application-rules, #firewall-fqdn-tags).
    func matches(source: Address, host: String, port: Int) -> Bool {
        guard sources.contains(source) else { return false }
        if protocols.contains(where: { $0.port == port }) && targets.contains(where: { $0.matches(host) }) { return true }
        return tagProtocols.contains { $0.port == port } && tagTargets.contains { $0.matches(host) }
    }

    /// Destination ports of the target FQDNs.
    var targetPorts: IntervalSet { CompiledApplicationRule.ports(protocols) }
    /// Destination ports of the FQDN tags (docs/semantics.md#firewall-fqdn-tags: https entries only).
    var tagPorts: IntervalSet { CompiledApplicationRule.ports(tagProtocols) }

    static func ports(_ protocols: [ApplicationProtocol]) -> IntervalSet {
        protocols.reduce(IntervalSet.empty) { $0.union(IntervalSet(UInt32(clamping: $1.port), UInt32(clamping: $1.port))) }
    }
}

/// The built-in infrastructure rule collection every Azure Firewall checks after its application rules (docs/semantics.md#firewall-rule-order, #firewall-default-deny).
///
/// FWINFRA (@77fa5e48, and unchanged in the revision with ms.date 2025-12-31) names the services it allows —
/// compute access to the storage Platform Image Repository (PIR), managed-disk status storage, Azure Diagnostics and
/// Logging (MDS) — but publishes no FQDNs for them ("These FQDNs are specific for the platform"). So the collection is
/// kept as a named symbolic collection: no concrete host name matches it (`trace` says so when it falls through to
/// default deny), and `reach` notes for which packets it would apply. FWINFRA: a deny-all application rule collection
/// is always processed before it and overrides it.
public enum FirewallInfrastructureCollection {
    /// The services FWINFRA lists.
    public static let services = ["storage Platform Image Repository (PIR)", "managed-disk status storage", "Azure Diagnostics and Logging (MDS)"]
    /// [ASSUME] application-level traffic (docs/semantics.md#firewall-default-deny) on the default HTTP and HTTPS ports; FWINFRA names no ports.
    public static let protocols: [ApplicationProtocol] = [.http, .https]

    /// Whether `rule` is a deny-all application rule, which overrides the collection (docs/semantics.md#firewall-default-deny).
    static func overrides(_ rule: CompiledApplicationRule) -> Bool {
        rule.action == .deny && rule.targets.contains(where: \.isAny)
    }
}

/// An Azure Firewall with its ordered rule lists (docs/semantics.md#firewall-rule-order: DNAT, then network, then application).
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
    /// DNS proxy (docs/semantics.md#firewall-network-rules).
    public var dnsProxyEnabled: Bool
    /// Destinations not SNATed for network rules (docs/semantics.md#firewall-snat).
    public var snatExempt: IntervalSet
    /// DNAT rules in order.
    public var natRules: [CompiledFirewallRule]
    /// Network rules in order.
    public var networkRules: [CompiledFirewallRule]
    /// Application rules in order.
    public var applicationRules: [CompiledApplicationRule]
    /// Threat-intel mode (docs/semantics.md#firewall-threat-intelligence; only Alert-and-deny changes reachability and it needs live feeds: not modelled).
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
    /// SNAT source after the firewall, if translated (docs/semantics.md#firewall-snat).
    public var snat: IPv4Address?
    /// DNAT destination, if translated (docs/semantics.md#firewall-dnat).
    public var dnat: IPv4Address?
    /// DNAT port.
    public var dnatPort: Int?
}

extension CompiledFirewall {
    /// Evaluates a packet: DNAT (to a public IP) → network rules → application rules → infrastructure →
    /// default deny (docs/semantics.md#firewall-default-deny, #firewall-rule-order, #firewall-dnat).
    public func decide(_ packet: Packet) -> FirewallDecision {
        if let ip = packet.destination.ip, publicAddresses.contains(ip) {
            for rule in natRules where rule.match.contains(packet) {
                // docs/semantics.md#firewall-dnat (2023 rev): a DNAT match is allowed and not subject to network rules; docs/semantics.md#firewall-dnat: no app rules.
                return FirewallDecision(allowed: true, ruleType: "DNAT", rule: rule.path, snat: nil,
                                        dnat: rule.translatedAddress, dnatPort: rule.translatedPort)
            }
            return FirewallDecision(allowed: false, ruleType: "Default", rule: "no DNAT rule matched (docs/semantics.md#firewall-default-deny)")
        }
        for rule in networkRules where rule.match.contains(packet) {
            let allowed = rule.action == .allow
            return FirewallDecision(allowed: allowed, ruleType: "Network", rule: rule.path,
                                    snat: allowed ? networkSNAT(packet.destination) : nil)
        }
        var reason = "default deny: no rule matched (docs/semantics.md#firewall-default-deny)"
        // docs/semantics.md#firewall-rule-order: application rules only for HTTP/HTTPS/MSSQL; HTTPS matches on SNI (docs/semantics.md#firewall-application-rules), so a name is needed.
        if packet.protocol == .tcp, let host = packet.hostName {
            for rule in applicationRules where rule.matches(source: packet.source, host: host, port: packet.destinationPort) {
                let allowed = rule.action == .allow
                return FirewallDecision(allowed: allowed, ruleType: "Application", rule: rule.path,
                                        snat: allowed ? privateAddress : nil)  // docs/semantics.md#firewall-snat: application rules always SNAT
            }
            // docs/semantics.md#firewall-fqdn-tags: tags without a published list match no concrete host (decision in FirewallFQDNTags).
            let symbolic = applicationRules.filter {
                !$0.unpublishedTags.isEmpty && $0.sources.contains(packet.source) && $0.tagProtocols.contains { $0.port == packet.destinationPort }
            }
            if !symbolic.isEmpty {
                let tags = symbolic.map { "\($0.unpublishedTags.joined(separator: ",")) in \($0.path)" }.joined(separator: "; ")
                reason += "; FQDN tags \(tags): Microsoft publishes no names for them, so they match no concrete host (docs/semantics.md#firewall-fqdn-tags)"
            }
            // docs/semantics.md#firewall-default-deny: the infrastructure collection comes next; its names are not published, so no concrete name matches.
            reason += "; the built-in infrastructure collection publishes no names (docs/semantics.md#firewall-default-deny)"
        }
        return FirewallDecision(allowed: false, ruleType: "Default", rule: reason)
    }

    /// SNAT for a network-rule flow: none when the destination is in the private-range list (docs/semantics.md#firewall-snat).
    func networkSNAT(_ destination: Address) -> IPv4Address? {
        if let ip = destination.ip, snatExempt.contains(ip.value) { return nil }
        return privateAddress
    }
}
