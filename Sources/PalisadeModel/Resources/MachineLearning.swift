/// An Azure Machine Learning workspace (docs/semantics.md#azure-machine-learning).
public struct MachineLearningWorkspace: AzureResource {
    public static let resourceType = ResourceType.machineLearningWorkspace
    public let id: ResourceID
    public var location: String?
    public var tags: [String: String] = [:]
    public var source: SourceLocation?
    /// `Default`, `Hub`, `Project` or `FeatureStore`.
    public var kind = "Default"
    /// SKU name, `Basic` by convention.
    public var sku = "Basic"
    /// Public network access; nil when not set (the API then decides).
    public var publicNetworkAccess: EnablementState?
    /// High business impact flag (`hbiWorkspace`).
    public var highBusinessImpact = false
    /// Compute cluster used to build images when the registry is private (https://learn.microsoft.com/azure/machine-learning/how-to-secure-workspace-vnet).
    public var imageBuildCompute: String?
    /// `systemDatastoresAuthMode`: `AccessKey`, `Identity` or `UserDelegationSAS`.
    public var systemDatastoresAuthMode: String?
    /// Managed network settings (docs/semantics.md#managed-network-modes, #managed-network-provisioning).
    public var managedNetwork = ManagedNetworkSettings()
    /// Identity.
    public var identity = ManagedIdentity.system
    /// Primary user-assigned identity, when user-assigned.
    public var primaryUserAssignedIdentity: ResourceID?
    /// Linked storage account.
    public var storageAccount: ResourceID?
    /// Linked key vault.
    public var keyVault: ResourceID?
    /// Linked container registry.
    public var containerRegistry: ResourceID?
    /// Linked Application Insights.
    public var applicationInsights: ResourceID?
    /// `v1LegacyMode` (blocks the v2 API).
    public var v1LegacyMode = false
    /// Workspace IP allow list (public IPv4 only).
    public var ipAllowlist: [String] = []

    /// Creates a workspace.
    public init(id: ResourceID, location: String? = nil) {
        self.id = id
        self.location = location
    }

    public var references: [ResourceID] {
        [storageAccount, keyVault, containerRegistry, applicationInsights, primaryUserAssignedIdentity].compactMap { $0 }
            + identity.userAssigned
            + managedNetwork.outboundRules.compactMap(\.serviceResourceID)
    }
    public var asResource: Resource { .machineLearningWorkspace(self) }
    public static func extract(_ resource: Resource) -> Self? {
        if case .machineLearningWorkspace(let value) = resource { return value }
        return nil
    }
}

/// A workspace's managed network (docs/semantics.md#managed-network-modes, #managed-network-provisioning).
public struct ManagedNetworkSettings: Hashable, Sendable, Codable {
    /// Isolation mode.
    public enum IsolationMode: String, Hashable, Sendable, Codable, CaseIterable {
        case disabled = "Disabled"
        case allowInternetOutbound = "AllowInternetOutbound"
        case allowOnlyApprovedOutbound = "AllowOnlyApprovedOutbound"
    }
    /// The isolation mode; `Disabled` means customer-managed networking.
    public var isolationMode: IsolationMode = .disabled
    /// User-defined (and imported required) outbound rules.
    public var outboundRules: [ManagedOutboundRule] = []
    /// Managed firewall SKU for FQDN rules (docs/semantics.md#managed-network-fqdn-rules): `Standard` or `Basic`.
    public var firewallSku: String?
    /// Whether the managed network is provisioned already (docs/semantics.md#managed-network-provisioning); nil when unknown.
    public var provisioned: Bool?

    /// Creates settings.
    public init(isolationMode: IsolationMode = .disabled, outboundRules: [ManagedOutboundRule] = []) {
        self.isolationMode = isolationMode
        self.outboundRules = outboundRules
    }
}

/// A managed network outbound rule of one of the three types (docs/semantics.md#managed-network-outbound-rules).
public struct ManagedOutboundRule: Hashable, Sendable, Codable {
    /// Rule type.
    public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
        case fqdn = "FQDN"
        case privateEndpoint = "PrivateEndpoint"
        case serviceTag = "ServiceTag"
    }
    /// Rule name (the key in `outboundRules`).
    public var name: String
    /// Rule type.
    public var kind: Kind
    /// `Required`, `Recommended`, `UserDefined` or `Dependency`.
    public var category = "UserDefined"
    /// FQDN destination.
    public var fqdn: String?
    /// PrivateEndpoint target.
    public var serviceResourceID: ResourceID?
    /// PrivateEndpoint sub-resource.
    public var subresourceTarget: String?
    /// PrivateEndpoint spark flag.
    public var sparkEnabled = false
    /// ServiceTag tag.
    public var serviceTag: String?
    /// ServiceTag protocol (`TCP`, `UDP`, `ICMP`, `*`).
    public var serviceTagProtocol: String?
    /// ServiceTag port ranges, e.g. `443` or `80,443`.
    public var portRanges: String?
    /// ServiceTag action (`Allow` or `Deny`).
    public var action = "Allow"

    /// An FQDN rule.
    public static func fqdn(_ name: String, _ destination: String) -> ManagedOutboundRule {
        var rule = ManagedOutboundRule(name: name, kind: .fqdn)
        rule.fqdn = destination
        return rule
    }
    /// A private endpoint rule.
    public static func privateEndpoint(_ name: String, target: ResourceID, subresource: String) -> ManagedOutboundRule {
        var rule = ManagedOutboundRule(name: name, kind: .privateEndpoint)
        rule.serviceResourceID = target
        rule.subresourceTarget = subresource
        return rule
    }
    /// A service tag rule.
    public static func serviceTag(_ name: String, tag: String, protocol: String, ports: String) -> ManagedOutboundRule {
        var rule = ManagedOutboundRule(name: name, kind: .serviceTag)
        rule.serviceTag = tag
        rule.serviceTagProtocol = `protocol`
        rule.portRanges = ports
        return rule
    }

    /// Creates a rule of a kind; set the kind's fields afterwards.
    public init(name: String, kind: Kind) {
        self.name = name
        self.kind = kind
    }
}

/// An AML compute instance or cluster (customer-VNet compute).
public struct MachineLearningCompute: AzureResource {
    public static let resourceType = ResourceType.machineLearningCompute
    public let id: ResourceID
    public var location: String?
    public var tags: [String: String] = [:]
    public var source: SourceLocation?
    /// `AmlCompute` (cluster), `ComputeInstance`, `Kubernetes`, …
    public var computeType = "AmlCompute"
    /// VM size.
    public var vmSize = "Standard_DS3_v2"
    /// Subnet for customer-VNet compute; nil for managed-VNet or serverless compute.
    public var subnet: ResourceID?
    /// `enableNodePublicIp`; Azure's default is true.
    public var enableNodePublicIP = true
    /// Minimum nodes (clusters).
    public var minNodes = 0
    /// Maximum nodes (clusters); 1 for an instance.
    public var maxNodes = 1
    /// Identity.
    public var identity = ManagedIdentity.none
    /// SSH / remote login port public access (`Enabled`, `Disabled`, `NotSpecified`).
    public var remoteLoginPortPublicAccess = "Disabled"
    /// Disable local (key) authentication.
    public var disableLocalAuth = true
    /// The assigned user's object ID for a personal compute instance.
    public var assignedUserObjectID: String?
    /// Idle time before scale-down (clusters), ISO 8601.
    public var nodeIdleTimeBeforeScaleDown: String?

    /// Creates a compute.
    public init(id: ResourceID, location: String? = nil) {
        self.id = id
        self.location = location
    }

    /// The workspace the compute belongs to.
    public var workspace: ResourceID { id.parent ?? id }
    /// Whether this is a compute instance.
    public var isInstance: Bool { computeType.lowercased() == "computeinstance" }

    public var references: [ResourceID] { [workspace] + [subnet].compactMap { $0 } + identity.userAssigned }
    public var asResource: Resource { .machineLearningCompute(self) }
    public static func extract(_ resource: Resource) -> Self? {
        if case .machineLearningCompute(let value) = resource { return value }
        return nil
    }
}
