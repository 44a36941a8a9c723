/// A private endpoint docs/semantics.md#private-endpoint-routes, #private-endpoint-network-policies, #private-dns-zones-per-service).
public struct PrivateEndpoint: AzureResource {
    public static let resourceType = ResourceType.privateEndpoint
    public let id: ResourceID
    public var location: String?
    public var tags: [String: String] = [:]
    public var source: SourceLocation?
    /// The subnet the endpoint's NIC sits in.
    public var subnet: ResourceID?
    /// The target resource (`privateLinkServiceId`).
    public var target: ResourceID?
    /// Sub-resources, e.g. `blob`, `amlworkspace`, `registry`.
    public var groupIDs: [String] = []
    /// Whether the connection needs manual approval.
    public var manualApproval = false
    /// Custom NIC name, if set.
    public var customNetworkInterfaceName: String?
    /// Static IP configurations, if any (otherwise dynamic).
    public var ipConfigurations: [PrivateEndpointIPConfiguration] = []
    /// The DNS zone group: zones whose records the platform manages for this endpoint (≤5, docs/semantics.md#private-dns-zones-per-service).
    public var privateDnsZoneGroup: PrivateDnsZoneGroup?

    /// Creates a private endpoint.
    public init(id: ResourceID, location: String? = nil) {
        self.id = id
        self.location = location
    }

    public var references: [ResourceID] {
        [subnet, target].compactMap { $0 } + (privateDnsZoneGroup?.zones ?? [])
    }
    public var asResource: Resource { .privateEndpoint(self) }
    public static func extract(_ resource: Resource) -> Self? {
        if case .privateEndpoint(let value) = resource { return value }
        return nil
    }
}

/// A static IP configuration of a private endpoint.
public struct PrivateEndpointIPConfiguration: Hashable, Sendable, Codable {
    /// Configuration name.
    public var name: String
    /// Sub-resource.
    public var groupID: String
    /// Member name, e.g. `default`, `registry_data_westeurope`.
    public var memberName: String
    /// The fixed IP.
    public var privateIPAddress: IPv4Address

    /// Creates a configuration.
    public init(name: String, groupID: String, memberName: String, privateIPAddress: IPv4Address) {
        self.name = name
        self.groupID = groupID
        self.memberName = memberName
        self.privateIPAddress = privateIPAddress
    }
}

/// A private endpoint's DNS zone group.
public struct PrivateDnsZoneGroup: Hashable, Sendable, Codable {
    /// Group name (`default` by convention).
    public var name: String
    /// The private DNS zones.
    public var zones: [ResourceID]

    /// Creates a zone group.
    public init(name: String = "default", zones: [ResourceID]) {
        self.name = name
        self.zones = zones
    }
}

/// A private DNS zone with its record sets and virtual network links (docs/semantics.md#private-dns-zone-links).
public struct PrivateDnsZone: AzureResource {
    public static let resourceType = ResourceType.privateDnsZone
    public let id: ResourceID
    public var location: String? = "global"
    public var tags: [String: String] = [:]
    public var source: SourceLocation?
    /// Record sets declared explicitly (zone-group records are derived from private endpoints).
    public var recordSets: [DnsRecordSet] = []
    /// Links to virtual networks (docs/semantics.md#private-dns-zone-links).
    public var virtualNetworkLinks: [VirtualNetworkLink] = []

    /// Creates a zone; its name is the DNS zone name.
    public init(id: ResourceID) { self.id = id }

    public var references: [ResourceID] { virtualNetworkLinks.map(\.virtualNetwork) }
    public var asResource: Resource { .privateDnsZone(self) }
    public static func extract(_ resource: Resource) -> Self? {
        if case .privateDnsZone(let value) = resource { return value }
        return nil
    }
}

/// A DNS record set in a private zone.
public struct DnsRecordSet: Hashable, Sendable, Codable {
    /// Relative name (`@` for the apex, `*` wildcards allowed).
    public var name: String
    /// `A`, `CNAME`, …
    public var type: String
    /// TTL in seconds.
    public var ttl = 3600
    /// A records.
    public var aRecords: [IPv4Address] = []
    /// CNAME target.
    public var cname: String?

    /// Creates an A record set.
    public init(name: String, aRecords: [IPv4Address]) {
        self.name = name
        type = "A"
        self.aRecords = aRecords
    }

    /// Creates a record set of any type.
    public init(name: String, type: String) {
        self.name = name
        self.type = type
    }
}

/// A private DNS zone's link to a VNet (docs/semantics.md#private-dns-zone-links, #private-dns-nxdomain).
public struct VirtualNetworkLink: Hashable, Sendable, Codable {
    /// Link name.
    public var name: String
    /// The linked VNet.
    public var virtualNetwork: ResourceID
    /// Auto-registration of VM records.
    public var registrationEnabled = false
    /// `Default` or `NxDomainRedirect` (fallback to internet, docs/semantics.md#private-dns-nxdomain).
    public var resolutionPolicy = "Default"

    /// Creates a link.
    public init(name: String, virtualNetwork: ResourceID) {
        self.name = name
        self.virtualNetwork = virtualNetwork
    }
}

/// A service endpoint policy: which storage accounts a service endpoint may reach (docs/semantics.md#service-endpoint-policies).
public struct ServiceEndpointPolicy: AzureResource {
    public static let resourceType = ResourceType.serviceEndpointPolicy
    public let id: ResourceID
    public var location: String?
    public var tags: [String: String] = [:]
    public var source: SourceLocation?
    /// Policy definitions.
    public var definitions: [ServiceEndpointPolicyDefinition] = []

    /// Creates a policy.
    public init(id: ResourceID, location: String? = nil) {
        self.id = id
        self.location = location
    }

    public var references: [ResourceID] { [] }
    public var asResource: Resource { .serviceEndpointPolicy(self) }
    public static func extract(_ resource: Resource) -> Self? {
        if case .serviceEndpointPolicy(let value) = resource { return value }
        return nil
    }
}

/// One definition of a service endpoint policy.
public struct ServiceEndpointPolicyDefinition: Hashable, Sendable, Codable {
    /// Definition name.
    public var name: String
    /// Service, `Microsoft.Storage`.
    public var service = "Microsoft.Storage"
    /// Allowed resources: resource IDs, resource group or subscription scopes.
    public var serviceResources: [String] = []
    /// Service aliases such as `/services/Azure/MachineLearning` (docs/semantics.md#service-endpoint-policies).
    public var serviceAliases: [String] = []

    /// Creates a definition.
    public init(name: String, serviceResources: [String], serviceAliases: [String] = []) {
        self.name = name
        self.serviceResources = serviceResources
        self.serviceAliases = serviceAliases
    }
}
