/// Azure Firewall (docs/semantics.md#azure-firewall). Rules live either in classic collections here or in the
/// referenced Firewall Policy.
public struct AzureFirewall: AzureResource {
    public static let resourceType = ResourceType.azureFirewall
    public let id: ResourceID
    public var location: String?
    public var tags: [String: String] = [:]
    public var source: SourceLocation?
    /// `AZFW_VNet` or `AZFW_Hub`.
    public var skuName = "AZFW_VNet"
    /// `Basic`, `Standard` or `Premium`.
    public var skuTier = "Standard"
    /// Data-path IP configurations (AzureFirewallSubnet, public IPs) (docs/semantics.md#firewall-placement).
    public var ipConfigurations: [IPConfiguration] = []
    /// Forced-tunnel management configuration (AzureFirewallManagementSubnet) (docs/semantics.md#firewall-placement).
    public var managementIPConfiguration: IPConfiguration?
    /// The attached Firewall Policy, if any.
    public var firewallPolicy: ResourceID?
    /// Threat intelligence mode for classic rules (docs/semantics.md#firewall-threat-intelligence).
    public var threatIntelMode: ThreatIntelMode = .alert
    /// Classic rule collections (docs/semantics.md#firewall-rule-order).
    public var natRuleCollections: [FirewallRuleCollection] = []
    /// Classic network rule collections.
    public var networkRuleCollections: [FirewallRuleCollection] = []
    /// Classic application rule collections.
    public var applicationRuleCollections: [FirewallRuleCollection] = []
    /// Classic DNS proxy (`additionalProperties["Network.DNS.EnableProxy"]`).
    public var dnsProxyEnabled = false
    /// SNAT private ranges (docs/semantics.md#firewall-snat); nil means `IANAPrivateRanges`.
    public var privateRanges: [String]?
    /// The virtual hub a secured-hub firewall (`AZFW_Hub`) sits in (docs/semantics.md#virtual-wan-routing-intent).
    public var virtualHub: ResourceID?
    /// `hubIPAddresses.privateIPAddress` of a secured-hub firewall.
    public var hubPrivateIPAddress: IPv4Address?
    /// `hubIPAddresses.publicIPs.addresses` of a secured-hub firewall.
    public var hubPublicIPAddresses: [IPv4Address] = []

    /// Creates a firewall.
    public init(id: ResourceID, location: String? = nil) {
        self.id = id
        self.location = location
    }

    /// The private IP of the first data-path configuration (or the secured hub's address), if known.
    public var privateIPAddress: IPv4Address? { ipConfigurations.first?.privateIPAddress ?? hubPrivateIPAddress }

    public var references: [ResourceID] {
        ipConfigurations.flatMap(\.references) + (managementIPConfiguration?.references ?? [])
            + [firewallPolicy, virtualHub].compactMap { $0 }
            + (natRuleCollections + networkRuleCollections + applicationRuleCollections).flatMap(\.references)
    }
    public var asResource: Resource { .azureFirewall(self) }
    public static func extract(_ resource: Resource) -> Self? {
        if case .azureFirewall(let value) = resource { return value }
        return nil
    }
}

/// Threat intelligence modes (docs/semantics.md#firewall-threat-intelligence).
public enum ThreatIntelMode: String, Hashable, Sendable, Codable, CaseIterable {
    case off = "Off"
    case alert = "Alert"
    case deny = "Deny"
}

/// A Firewall Policy with rule collection groups (docs/semantics.md#firewall-rule-order).
public struct FirewallPolicy: AzureResource {
    public static let resourceType = ResourceType.firewallPolicy
    public let id: ResourceID
    public var location: String?
    public var tags: [String: String] = [:]
    public var source: SourceLocation?
    /// `Basic`, `Standard` or `Premium`.
    public var skuTier = "Standard"
    /// Parent policy whose rules come first (docs/semantics.md#firewall-rule-order).
    public var basePolicy: ResourceID?
    /// Threat intelligence mode (docs/semantics.md#firewall-threat-intelligence).
    public var threatIntelMode: ThreatIntelMode = .alert
    /// DNS proxy (docs/semantics.md#firewall-network-rules).
    public var dnsProxyEnabled = false
    /// Custom DNS servers for the firewall; empty means Azure DNS.
    public var dnsServers: [IPv4Address] = []
    /// SNAT private ranges (docs/semantics.md#firewall-snat); nil means `IANAPrivateRanges`.
    public var privateRanges: [String]?
    /// Rule collection groups (child resources merged in).
    public var ruleCollectionGroups: [FirewallRuleCollectionGroup] = []

    /// Creates a policy.
    public init(id: ResourceID, location: String? = nil) {
        self.id = id
        self.location = location
    }

    public var references: [ResourceID] {
        [basePolicy].compactMap { $0 } + ruleCollectionGroups.flatMap { $0.ruleCollections.flatMap(\.references) }
    }
    public var asResource: Resource { .firewallPolicy(self) }
    public static func extract(_ resource: Resource) -> Self? {
        if case .firewallPolicy(let value) = resource { return value }
        return nil
    }
}

/// A rule collection group of a Firewall Policy.
public struct FirewallRuleCollectionGroup: Hashable, Sendable, Codable {
    /// Group name.
    public var name: String
    /// 100 (first) … 65000.
    public var priority: Int
    /// Collections in the group.
    public var ruleCollections: [FirewallRuleCollection]

    /// Creates a group.
    public init(name: String, priority: Int, ruleCollections: [FirewallRuleCollection]) {
        self.name = name
        self.priority = priority
        self.ruleCollections = ruleCollections
    }
}

/// A typed rule collection: one action for all its rules (docs/semantics.md#firewall-rule-order).
public struct FirewallRuleCollection: Hashable, Sendable, Codable {
    /// What the collection's rules do.
    public enum Action: String, Hashable, Sendable, Codable, CaseIterable {
        case allow = "Allow"
        case deny = "Deny"
        case dnat = "DNAT"
    }
    /// Collection name.
    public var name: String
    /// 100 … 65000.
    public var priority: Int
    /// Action for all rules.
    public var action: Action
    /// Rules, evaluated top-down (docs/semantics.md#firewall-rule-order).
    public var rules: [FirewallRule]

    /// Creates a collection.
    public init(name: String, priority: Int, action: Action, rules: [FirewallRule]) {
        self.name = name
        self.priority = priority
        self.action = action
        self.rules = rules
    }

    /// IP groups the rules use.
    public var references: [ResourceID] {
        rules.flatMap { rule -> [ResourceID] in
            switch rule {
            case .network(let r): r.sourceIPGroups + r.destinationIPGroups
            case .application(let r): r.sourceIPGroups
            case .nat(let r): r.sourceIPGroups
            }
        }
    }
}

/// A firewall rule of one of the three kinds (docs/semantics.md#firewall-rule-order).
public enum FirewallRule: Hashable, Sendable, Codable {
    case network(NetworkRule)
    case application(ApplicationRule)
    case nat(NatRule)

    /// The rule's name.
    public var name: String {
        switch self {
        case .network(let r): r.name
        case .application(let r): r.name
        case .nat(let r): r.name
        }
    }
}

/// A network rule (docs/semantics.md#firewall-network-rules).
public struct NetworkRule: Hashable, Sendable, Codable {
    /// Rule name.
    public var name: String
    /// Protocols (`Tcp`, `Udp`, `Icmp`, `*`).
    public var protocols: [NetworkProtocol]
    /// Source addresses (CIDR, IP, range, `*`).
    public var sourceAddresses: [String] = []
    /// Source IP groups.
    public var sourceIPGroups: [ResourceID] = []
    /// Destination addresses (CIDR, IP, `*`, or service tags, docs/semantics.md#firewall-network-rules).
    public var destinationAddresses: [String] = []
    /// Destination IP groups.
    public var destinationIPGroups: [ResourceID] = []
    /// Destination FQDNs (require DNS proxy, docs/semantics.md#firewall-network-rules).
    public var destinationFqdns: [String] = []
    /// Destination ports (`*`, `443`, `80-90`).
    public var destinationPorts: [String]

    /// Creates a network rule.
    public init(name: String, protocols: [NetworkProtocol], sourceAddresses: [String], destinationAddresses: [String] = [],
                destinationFqdns: [String] = [], destinationPorts: [String]) {
        self.name = name
        self.protocols = protocols
        self.sourceAddresses = sourceAddresses
        self.destinationAddresses = destinationAddresses
        self.destinationFqdns = destinationFqdns
        self.destinationPorts = destinationPorts
    }
}

/// An application rule (docs/semantics.md#firewall-application-rules).
public struct ApplicationRule: Hashable, Sendable, Codable {
    /// Rule name.
    public var name: String
    /// Protocols with ports, e.g. `Https:443`.
    public var protocols: [ApplicationProtocol]
    /// Source addresses.
    public var sourceAddresses: [String] = []
    /// Source IP groups.
    public var sourceIPGroups: [ResourceID] = []
    /// Target FQDNs, wildcards allowed (docs/semantics.md#firewall-fqdn-wildcards).
    public var targetFqdns: [String] = []
    /// FQDN tags (docs/semantics.md#firewall-fqdn-tags).
    public var fqdnTags: [String] = []
    /// Web categories.
    public var webCategories: [String] = []
    /// TLS inspection (Premium, docs/semantics.md#firewall-application-rules).
    public var terminateTLS = false

    /// Creates an application rule.
    public init(name: String, protocols: [ApplicationProtocol], sourceAddresses: [String], targetFqdns: [String] = [],
                fqdnTags: [String] = []) {
        self.name = name
        self.protocols = protocols
        self.sourceAddresses = sourceAddresses
        self.targetFqdns = targetFqdns
        self.fqdnTags = fqdnTags
    }
}

/// An application rule protocol and port, e.g. `Https:443`.
public struct ApplicationProtocol: Hashable, Sendable, Codable, CustomStringConvertible {
    /// `Http`, `Https` or `Mssql`.
    public var type: String
    /// Port.
    public var port: Int

    /// Creates a protocol entry.
    public init(_ type: String, _ port: Int) {
        self.type = type
        self.port = port
    }
    /// HTTPS on 443.
    public static let https = ApplicationProtocol("Https", 443)
    /// HTTP on 80.
    public static let http = ApplicationProtocol("Http", 80)
    public var description: String { "\(type):\(port)" }
}

/// A DNAT rule (docs/semantics.md#firewall-dnat).
public struct NatRule: Hashable, Sendable, Codable {
    /// Rule name.
    public var name: String
    /// Protocols.
    public var protocols: [NetworkProtocol]
    /// Source addresses.
    public var sourceAddresses: [String] = []
    /// Source IP groups.
    public var sourceIPGroups: [ResourceID] = []
    /// Firewall public IP(s) matched.
    public var destinationAddresses: [String]
    /// Ports matched.
    public var destinationPorts: [String]
    /// Translated private address.
    public var translatedAddress: String?
    /// Translated FQDN.
    public var translatedFqdn: String?
    /// Translated port.
    public var translatedPort: String?

    /// Creates a DNAT rule.
    public init(name: String, protocols: [NetworkProtocol], sourceAddresses: [String], destinationAddresses: [String],
                destinationPorts: [String], translatedAddress: String?, translatedPort: String?) {
        self.name = name
        self.protocols = protocols
        self.sourceAddresses = sourceAddresses
        self.destinationAddresses = destinationAddresses
        self.destinationPorts = destinationPorts
        self.translatedAddress = translatedAddress
        self.translatedPort = translatedPort
    }
}

/// An IP group (docs/semantics.md#firewall-network-rules).
public struct IPGroup: AzureResource {
    public static let resourceType = ResourceType.ipGroup
    public let id: ResourceID
    public var location: String?
    public var tags: [String: String] = [:]
    public var source: SourceLocation?
    /// Addresses: IP, CIDR or `a-b` range.
    public var ipAddresses: [String] = []

    /// Creates an IP group.
    public init(id: ResourceID, location: String? = nil) {
        self.id = id
        self.location = location
    }

    public var references: [ResourceID] { [] }
    public var asResource: Resource { .ipGroup(self) }
    public static func extract(_ resource: Resource) -> Self? {
        if case .ipGroup(let value) = resource { return value }
        return nil
    }
}
