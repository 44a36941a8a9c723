/// Application Insights.
public struct ApplicationInsights: AzureResource {
    public static let resourceType = ResourceType.applicationInsights
    public let id: ResourceID
    public var location: String?
    public var tags: [String: String] = [:]
    public var source: SourceLocation?
    /// `web` by convention.
    public var applicationType = "web"
    /// Log Analytics workspace for workspace-based Application Insights.
    public var workspace: ResourceID?
    /// Public ingestion.
    public var publicNetworkAccessForIngestion: EnablementState = .enabled
    /// Public query.
    public var publicNetworkAccessForQuery: EnablementState = .enabled

    /// Creates a component.
    public init(id: ResourceID, location: String? = nil) {
        self.id = id
        self.location = location
    }

    public var references: [ResourceID] { [workspace].compactMap { $0 } }
    public var asResource: Resource { .applicationInsights(self) }
    public static func extract(_ resource: Resource) -> Self? {
        if case .applicationInsights(let value) = resource { return value }
        return nil
    }
}

/// A Log Analytics workspace.
public struct LogAnalyticsWorkspace: AzureResource {
    public static let resourceType = ResourceType.logAnalyticsWorkspace
    public let id: ResourceID
    public var location: String?
    public var tags: [String: String] = [:]
    public var source: SourceLocation?
    /// Pricing tier.
    public var sku = "PerGB2018"
    /// Retention in days.
    public var retentionInDays = 30
    /// Public ingestion.
    public var publicNetworkAccessForIngestion: EnablementState = .enabled
    /// Public query.
    public var publicNetworkAccessForQuery: EnablementState = .enabled

    /// Creates a workspace.
    public init(id: ResourceID, location: String? = nil) {
        self.id = id
        self.location = location
    }

    public var references: [ResourceID] { [] }
    public var asResource: Resource { .logAnalyticsWorkspace(self) }
    public static func extract(_ resource: Resource) -> Self? {
        if case .logAnalyticsWorkspace(let value) = resource { return value }
        return nil
    }
}

/// An Azure Monitor Private Link Scope (https://learn.microsoft.com/azure/azure-monitor/logs/private-link-security).
public struct MonitorPrivateLinkScope: AzureResource {
    public static let resourceType = ResourceType.monitorPrivateLinkScope
    public let id: ResourceID
    public var location: String? = "global"
    public var tags: [String: String] = [:]
    public var source: SourceLocation?
    /// `Open` or `PrivateOnly`.
    public var ingestionAccessMode = "Open"
    /// `Open` or `PrivateOnly`.
    public var queryAccessMode = "Open"
    /// Scoped resources (Log Analytics, Application Insights).
    public var scopedResources: [ResourceID] = []

    /// Creates a scope.
    public init(id: ResourceID) { self.id = id }

    public var references: [ResourceID] { scopedResources }
    public var asResource: Resource { .monitorPrivateLinkScope(self) }
    public static func extract(_ resource: Resource) -> Self? {
        if case .monitorPrivateLinkScope(let value) = resource { return value }
        return nil
    }
}

/// A diagnostic setting sending a resource's logs and metrics to Log Analytics.
public struct DiagnosticSetting: AzureResource {
    public static let resourceType = ResourceType.diagnosticSetting
    public let id: ResourceID
    public var location: String?
    public var tags: [String: String] = [:]
    public var source: SourceLocation?
    /// The resource whose logs are collected.
    public var target: ResourceID
    /// Destination Log Analytics workspace.
    public var workspace: ResourceID?
    /// Log categories or category groups (e.g. `allLogs`).
    public var logCategories: [String] = ["allLogs"]
    /// Whether `AllMetrics` is sent.
    public var allMetrics = true

    /// Creates a setting; its ID is `<target>/providers/Microsoft.Insights/diagnosticSettings/<name>`.
    public init(name: String, target: ResourceID, workspace: ResourceID?) {
        id = ResourceID("\(target.rawValue)/providers/Microsoft.Insights/diagnosticSettings/\(name)")
        self.target = target
        self.workspace = workspace
    }

    public var references: [ResourceID] { [target] + [workspace].compactMap { $0 } }
    public var asResource: Resource { .diagnosticSetting(self) }
    public static func extract(_ resource: Resource) -> Self? {
        if case .diagnosticSetting(let value) = resource { return value }
        return nil
    }
}

/// A user-assigned managed identity.
public struct UserAssignedIdentity: AzureResource {
    public static let resourceType = ResourceType.userAssignedIdentity
    public let id: ResourceID
    public var location: String?
    public var tags: [String: String] = [:]
    public var source: SourceLocation?

    /// Creates an identity.
    public init(id: ResourceID, location: String? = nil) {
        self.id = id
        self.location = location
    }

    public var references: [ResourceID] { [] }
    public var asResource: Resource { .userAssignedIdentity(self) }
    public static func extract(_ resource: Resource) -> Self? {
        if case .userAssignedIdentity(let value) = resource { return value }
        return nil
    }
}

/// A role assignment granting a principal a role at a scope.
public struct RoleAssignment: AzureResource {
    public static let resourceType = ResourceType.roleAssignment
    public let id: ResourceID
    public var location: String?
    public var tags: [String: String] = [:]
    public var source: SourceLocation?
    /// The scope (a resource, resource group or subscription ID).
    public var scope: ResourceID
    /// Role definition GUID.
    public var roleDefinitionID: String
    /// Role display name when known (e.g. `Azure AI Enterprise Network Connection Approver`).
    public var roleName: String?
    /// The principal: a user-assigned identity in the graph, or a resource whose system identity is meant.
    public var principal: ResourceID?
    /// A principal object ID that is not a graph resource (a user or group).
    public var principalObjectID: String?
    /// `ServicePrincipal`, `User`, `Group`.
    public var principalType = "ServicePrincipal"

    /// Creates a role assignment; its ID is `<scope>/providers/Microsoft.Authorization/roleAssignments/<name>`.
    public init(name: String, scope: ResourceID, roleDefinitionID: String) {
        id = ResourceID("\(scope.rawValue)/providers/Microsoft.Authorization/roleAssignments/\(name)")
        self.scope = scope
        self.roleDefinitionID = roleDefinitionID
    }

    public var references: [ResourceID] { [scope] + [principal].compactMap { $0 } }
    public var asResource: Resource { .roleAssignment(self) }
    public static func extract(_ resource: Resource) -> Self? {
        if case .roleAssignment(let value) = resource { return value }
        return nil
    }
}

/// A resource group.
public struct ResourceGroup: AzureResource {
    public static let resourceType = ResourceType.resourceGroup
    public let id: ResourceID
    public var location: String?
    public var tags: [String: String] = [:]
    public var source: SourceLocation?

    /// Creates a resource group.
    public init(id: ResourceID, location: String? = nil) {
        self.id = id
        self.location = location
    }

    public var references: [ResourceID] { [] }
    public var asResource: Resource { .resourceGroup(self) }
    public static func extract(_ resource: Resource) -> Self? {
        if case .resourceGroup(let value) = resource { return value }
        return nil
    }
}

/// A resource of a type the model does not know; kept whole so nothing is ever dropped.
public struct OpaqueResource: AzureResource {
    public static let resourceType = ResourceType("Unknown/unknown")
    public let id: ResourceID
    public var location: String?
    public var tags: [String: String] = [:]
    public var source: SourceLocation?
    /// The resource's real ARM type.
    public var type: ResourceType
    /// API version, if known.
    public var apiVersion: String?
    /// The `properties` object as given.
    public var properties: JSONValue = .object([:])

    /// Creates an opaque resource.
    public init(id: ResourceID, type: ResourceType) {
        self.id = id
        self.type = type
    }

    public var references: [ResourceID] { [] }
    public var asResource: Resource { .opaque(self) }
    public static func extract(_ resource: Resource) -> Self? {
        if case .opaque(let value) = resource { return value }
        return nil
    }
}
