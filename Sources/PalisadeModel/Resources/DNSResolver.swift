/// An Azure DNS Private Resolver in a virtual network, with its inbound and outbound endpoints
/// (https://learn.microsoft.com/azure/dns/dns-private-resolver-overview, docs/semantics.md#dns-private-resolver).
public struct DnsResolver: AzureResource {
    public static let resourceType = ResourceType.dnsResolver
    public let id: ResourceID
    public var location: String?
    public var tags: [String: String] = [:]
    public var source: SourceLocation?
    /// The virtual network the resolver serves.
    public var virtualNetwork: ResourceID?
    /// Inbound endpoints: addresses that other resolvers (on-premises, other VNets) send queries to.
    public var inboundEndpoints: [DnsResolverInboundEndpoint] = []
    /// Outbound endpoints: where forwarding rulesets send queries from.
    public var outboundEndpoints: [DnsResolverOutboundEndpoint] = []

    /// Creates a resolver.
    public init(id: ResourceID, location: String? = nil) {
        self.id = id
        self.location = location
    }

    public var references: [ResourceID] {
        [virtualNetwork].compactMap { $0 } + inboundEndpoints.compactMap(\.subnet) + outboundEndpoints.compactMap(\.subnet)
    }
    public var asResource: Resource { .dnsResolver(self) }
    public static func extract(_ resource: Resource) -> Self? {
        if case .dnsResolver(let value) = resource { return value }
        return nil
    }
}

/// An inbound endpoint of a DNS Private Resolver (`Microsoft.Network/dnsResolvers/inboundEndpoints`).
public struct DnsResolverInboundEndpoint: Hashable, Sendable, Codable {
    /// Endpoint name.
    public var name: String
    /// The subnet (delegated to `Microsoft.Network/dnsResolvers`) holding the endpoint's address.
    public var subnet: ResourceID?
    /// The address, when static or known.
    public var privateIPAddress: IPv4Address?
    /// `Static` or `Dynamic`.
    public var privateIPAllocationMethod = "Dynamic"

    /// Creates an inbound endpoint.
    public init(name: String, subnet: ResourceID?, privateIPAddress: IPv4Address? = nil) {
        self.name = name
        self.subnet = subnet
        self.privateIPAddress = privateIPAddress
        if privateIPAddress != nil { privateIPAllocationMethod = "Static" }
    }
}

/// An outbound endpoint of a DNS Private Resolver (`Microsoft.Network/dnsResolvers/outboundEndpoints`).
public struct DnsResolverOutboundEndpoint: Hashable, Sendable, Codable {
    /// Endpoint name.
    public var name: String
    /// The subnet (delegated to `Microsoft.Network/dnsResolvers`) queries leave from.
    public var subnet: ResourceID?

    /// Creates an outbound endpoint.
    public init(name: String, subnet: ResourceID?) {
        self.name = name
        self.subnet = subnet
    }
}

/// A DNS forwarding ruleset: domain → target DNS servers, used by the virtual networks linked to it
/// (https://learn.microsoft.com/azure/dns/private-resolver-endpoints-rulesets, docs/semantics.md#dns-forwarding-rulesets).
public struct DnsForwardingRuleset: AzureResource {
    public static let resourceType = ResourceType.dnsForwardingRuleset
    public let id: ResourceID
    public var location: String?
    public var tags: [String: String] = [:]
    public var source: SourceLocation?
    /// The resolver outbound endpoints the ruleset sends queries through (resource IDs of
    /// `dnsResolvers/<name>/outboundEndpoints/<name>`).
    public var outboundEndpoints: [ResourceID] = []
    /// Forwarding rules.
    public var rules: [DnsForwardingRule] = []
    /// Linked virtual networks.
    public var virtualNetworkLinks: [DnsForwardingRulesetLink] = []

    /// Creates a ruleset.
    public init(id: ResourceID, location: String? = nil) {
        self.id = id
        self.location = location
    }

    public var references: [ResourceID] { outboundEndpoints + virtualNetworkLinks.map(\.virtualNetwork) }
    public var asResource: Resource { .dnsForwardingRuleset(self) }
    public static func extract(_ resource: Resource) -> Self? {
        if case .dnsForwardingRuleset(let value) = resource { return value }
        return nil
    }
}

/// One forwarding rule: queries for `domainName` and its subdomains go to the target servers.
public struct DnsForwardingRule: Hashable, Sendable, Codable {
    /// Rule name.
    public var name: String
    /// The domain, fully qualified with a trailing dot in ARM (`contoso.com.`); `.` matches every name.
    public var domainName: String
    /// The DNS servers queries are forwarded to.
    public var targetDnsServers: [DnsTargetServer]
    /// Whether the rule is used (`forwardingRuleState`, `Enabled` by default).
    public var enabled = true

    /// Creates a rule.
    public init(name: String, domainName: String, targetDnsServers: [DnsTargetServer]) {
        self.name = name
        self.domainName = domainName
        self.targetDnsServers = targetDnsServers
    }
}

/// A target DNS server of a forwarding rule.
public struct DnsTargetServer: Hashable, Sendable, Codable {
    /// The server's address.
    public var ipAddress: IPv4Address
    /// The server's port (53 by default).
    public var port = 53

    /// Creates a target.
    public init(ipAddress: IPv4Address, port: Int = 53) {
        self.ipAddress = ipAddress
        self.port = port
    }
}

/// A ruleset's link to a virtual network (`dnsForwardingRulesets/virtualNetworkLinks`).
public struct DnsForwardingRulesetLink: Hashable, Sendable, Codable {
    /// Link name.
    public var name: String
    /// The linked virtual network.
    public var virtualNetwork: ResourceID

    /// Creates a link.
    public init(name: String, virtualNetwork: ResourceID) {
        self.name = name
        self.virtualNetwork = virtualNetwork
    }
}
