/// Network ACLs shared by storage accounts and key vaults.
public struct NetworkACLs: Hashable, Sendable, Codable {
    /// Default action for traffic that matches no rule.
    public var defaultAction: NetworkAction = .allow
    /// Bypass list, e.g. `AzureServices`, `Logging`, `Metrics`, or `None`.
    public var bypass: [String] = ["AzureServices"]
    /// Allowed public IPs or CIDRs.
    public var ipRules: [String] = []
    /// Allowed subnets (over service endpoints).
    public var virtualNetworkRules: [ResourceID] = []
    /// Resource instance rules (storage only): resource IDs allowed through the trusted-service path.
    public var resourceAccessRules: [ResourceAccessRule] = []

    /// Creates ACLs with Azure's defaults (allow all, bypass AzureServices).
    public init(defaultAction: NetworkAction = .allow, bypass: [String] = ["AzureServices"]) {
        self.defaultAction = defaultAction
        self.bypass = bypass
    }
}

/// A storage resource-instance rule.
public struct ResourceAccessRule: Hashable, Sendable, Codable {
    /// Tenant of the resource.
    public var tenantID: String
    /// Resource ID or wildcard pattern, e.g. `.../Microsoft.MachineLearningServices/workspaces/*`.
    public var resourceID: String

    /// Creates a rule.
    public init(tenantID: String, resourceID: String) {
        self.tenantID = tenantID
        self.resourceID = resourceID
    }
}

/// Storage account sub-services that can have private endpoints (docs/semantics.md#private-dns-zones-per-service).
public enum StorageService: String, Hashable, Sendable, Codable, CaseIterable, Comparable {
    case blob, file, queue, table, dfs

    /// The private DNS zone for this sub-service (docs/semantics.md#private-dns-zones-per-service, Z-03).
    public var privateDnsZone: String { "privatelink.\(rawValue).core.windows.net" }
    public static func < (lhs: StorageService, rhs: StorageService) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// A storage account.
public struct StorageAccount: AzureResource {
    public static let resourceType = ResourceType.storageAccount
    public let id: ResourceID
    public var location: String?
    public var tags: [String: String] = [:]
    public var source: SourceLocation?
    /// `StorageV2` etc.
    public var kind = "StorageV2"
    /// SKU, e.g. `Standard_LRS`.
    public var sku = "Standard_LRS"
    /// Public network access; nil when not set.
    public var publicNetworkAccess: EnablementState?
    /// Anonymous blob access.
    public var allowBlobPublicAccess = false
    /// Shared key (account key) authorisation; Azure's default is true.
    public var allowSharedKeyAccess = true
    /// Minimum TLS version.
    public var minimumTLSVersion = "TLS1_2"
    /// HTTPS only.
    public var httpsOnly = true
    /// Hierarchical namespace (ADLS Gen2, dfs).
    public var isHnsEnabled = false
    /// Network ACLs.
    public var networkACLs = NetworkACLs()

    /// Creates a storage account.
    public init(id: ResourceID, location: String? = nil) {
        self.id = id
        self.location = location
    }

    public var references: [ResourceID] { networkACLs.virtualNetworkRules }
    public var asResource: Resource { .storageAccount(self) }
    public static func extract(_ resource: Resource) -> Self? {
        if case .storageAccount(let value) = resource { return value }
        return nil
    }
}

/// A key vault.
public struct KeyVault: AzureResource {
    public static let resourceType = ResourceType.keyVault
    public let id: ResourceID
    public var location: String?
    public var tags: [String: String] = [:]
    public var source: SourceLocation?
    /// `standard` or `premium`.
    public var sku = "standard"
    /// Tenant ID, or nil for the deployment's tenant.
    public var tenantID: String?
    /// Azure RBAC for data plane (instead of access policies).
    public var enableRbacAuthorization = false
    /// Purge protection.
    public var enablePurgeProtection = false
    /// Soft delete (always on for new vaults).
    public var enableSoftDelete = true
    /// Soft-delete retention.
    public var softDeleteRetentionInDays = 90
    /// Public network access; nil when not set.
    public var publicNetworkAccess: EnablementState?
    /// Network ACLs.
    public var networkACLs = NetworkACLs()

    /// Creates a key vault.
    public init(id: ResourceID, location: String? = nil) {
        self.id = id
        self.location = location
    }

    public var references: [ResourceID] { networkACLs.virtualNetworkRules }
    public var asResource: Resource { .keyVault(self) }
    public static func extract(_ resource: Resource) -> Self? {
        if case .keyVault(let value) = resource { return value }
        return nil
    }
}

/// A secret inside a key vault; the value is a `SecretValue` description, never plain text.
public struct KeyVaultSecret: AzureResource {
    public static let resourceType = ResourceType.keyVaultSecret
    public let id: ResourceID
    public var location: String?
    public var tags: [String: String] = [:]
    public var source: SourceLocation?
    /// Where the value comes from.
    public var value: SecretValue = .generated(length: 24)
    /// Content type hint.
    public var contentType: String?

    /// Creates a secret.
    public init(id: ResourceID) { self.id = id }

    /// The vault the secret lives in.
    public var vault: ResourceID { id.parent ?? id }

    public var references: [ResourceID] { [vault] }
    public var asResource: Resource { .keyVaultSecret(self) }
    public static func extract(_ resource: Resource) -> Self? {
        if case .keyVaultSecret(let value) = resource { return value }
        return nil
    }
}

/// A container registry.
public struct ContainerRegistry: AzureResource {
    public static let resourceType = ResourceType.containerRegistry
    public let id: ResourceID
    public var location: String?
    public var tags: [String: String] = [:]
    public var source: SourceLocation?
    /// `Basic`, `Standard` or `Premium` (only Premium can turn public access off).
    public var sku = "Premium"
    /// Admin user.
    public var adminUserEnabled = false
    /// Public network access; nil when not set.
    public var publicNetworkAccess: EnablementState?
    /// Network rule set default action (Premium).
    public var networkRuleDefaultAction: NetworkAction = .allow
    /// IP rules.
    public var ipRules: [String] = []
    /// `AzureServices` or `None`.
    public var networkRuleBypassOptions = "AzureServices"
    /// Dedicated data endpoints.
    public var dataEndpointEnabled = false

    /// Creates a registry.
    public init(id: ResourceID, location: String? = nil) {
        self.id = id
        self.location = location
    }

    public var references: [ResourceID] { [] }
    public var asResource: Resource { .containerRegistry(self) }
    public static func extract(_ resource: Resource) -> Self? {
        if case .containerRegistry(let value) = resource { return value }
        return nil
    }
}

/// An Azure AI services / Azure OpenAI account (a private-endpoint target of managed networks).
public struct CognitiveServicesAccount: AzureResource {
    public static let resourceType = ResourceType.cognitiveServicesAccount
    public let id: ResourceID
    public var location: String?
    public var tags: [String: String] = [:]
    public var source: SourceLocation?
    /// `OpenAI`, `AIServices`, …
    public var kind = "OpenAI"
    /// SKU name.
    public var sku = "S0"
    /// Custom subdomain (required for private endpoints).
    public var customSubDomainName: String?
    /// Public network access.
    public var publicNetworkAccess: EnablementState? = .disabled
    /// Local (key) auth disabled.
    public var disableLocalAuth = true

    /// Creates an account.
    public init(id: ResourceID, location: String? = nil) {
        self.id = id
        self.location = location
    }

    public var references: [ResourceID] { [] }
    public var asResource: Resource { .cognitiveServicesAccount(self) }
    public static func extract(_ resource: Resource) -> Self? {
        if case .cognitiveServicesAccount(let value) = resource { return value }
        return nil
    }
}
