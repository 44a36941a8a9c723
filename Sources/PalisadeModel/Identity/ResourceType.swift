/// A fully qualified ARM resource type such as `Microsoft.Network/virtualNetworks/subnets`.
///
/// ARM resource types are case-insensitive; the original spelling is kept for output.
public struct ResourceType: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The type as written, e.g. `Microsoft.Network/virtualNetworks`.
    public let rawValue: String

    /// Creates a type from its text.
    public init(_ rawValue: String) { self.rawValue = rawValue }

    /// The provider namespace, e.g. `Microsoft.Network`.
    public var namespace: String { String(rawValue.split(separator: "/").first ?? "") }

    /// The type segments after the namespace, e.g. `["virtualNetworks", "subnets"]`.
    public var segments: [String] { rawValue.split(separator: "/").dropFirst().map(String.init) }

    public var description: String { rawValue }

    public static func == (lhs: ResourceType, rhs: ResourceType) -> Bool {
        lhs.rawValue.lowercased() == rhs.rawValue.lowercased()
    }
    public func hash(into hasher: inout Hasher) { hasher.combine(rawValue.lowercased()) }
    public static func < (lhs: ResourceType, rhs: ResourceType) -> Bool {
        lhs.rawValue.lowercased() < rhs.rawValue.lowercased()
    }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

extension ResourceType {
    public static let resourceGroup = ResourceType("Microsoft.Resources/resourceGroups")
    public static let virtualNetwork = ResourceType("Microsoft.Network/virtualNetworks")
    public static let subnet = ResourceType("Microsoft.Network/virtualNetworks/subnets")
    public static let networkSecurityGroup = ResourceType("Microsoft.Network/networkSecurityGroups")
    public static let applicationSecurityGroup = ResourceType("Microsoft.Network/applicationSecurityGroups")
    public static let routeTable = ResourceType("Microsoft.Network/routeTables")
    public static let publicIPAddress = ResourceType("Microsoft.Network/publicIPAddresses")
    public static let networkInterface = ResourceType("Microsoft.Network/networkInterfaces")
    public static let virtualMachine = ResourceType("Microsoft.Compute/virtualMachines")
    public static let bastionHost = ResourceType("Microsoft.Network/bastionHosts")
    public static let virtualNetworkGateway = ResourceType("Microsoft.Network/virtualNetworkGateways")
    public static let azureFirewall = ResourceType("Microsoft.Network/azureFirewalls")
    public static let firewallPolicy = ResourceType("Microsoft.Network/firewallPolicies")
    public static let ipGroup = ResourceType("Microsoft.Network/ipGroups")
    public static let privateEndpoint = ResourceType("Microsoft.Network/privateEndpoints")
    public static let privateDnsZone = ResourceType("Microsoft.Network/privateDnsZones")
    public static let serviceEndpointPolicy = ResourceType("Microsoft.Network/serviceEndpointPolicies")
    public static let natGateway = ResourceType("Microsoft.Network/natGateways")
    public static let machineLearningWorkspace = ResourceType("Microsoft.MachineLearningServices/workspaces")
    public static let machineLearningCompute = ResourceType("Microsoft.MachineLearningServices/workspaces/computes")
    public static let storageAccount = ResourceType("Microsoft.Storage/storageAccounts")
    public static let keyVault = ResourceType("Microsoft.KeyVault/vaults")
    public static let keyVaultSecret = ResourceType("Microsoft.KeyVault/vaults/secrets")
    public static let containerRegistry = ResourceType("Microsoft.ContainerRegistry/registries")
    public static let applicationInsights = ResourceType("Microsoft.Insights/components")
    public static let logAnalyticsWorkspace = ResourceType("Microsoft.OperationalInsights/workspaces")
    public static let monitorPrivateLinkScope = ResourceType("Microsoft.Insights/privateLinkScopes")
    public static let userAssignedIdentity = ResourceType("Microsoft.ManagedIdentity/userAssignedIdentities")
    public static let roleAssignment = ResourceType("Microsoft.Authorization/roleAssignments")
    public static let diagnosticSetting = ResourceType("Microsoft.Insights/diagnosticSettings")
    public static let cognitiveServicesAccount = ResourceType("Microsoft.CognitiveServices/accounts")
    public static let networkManager = ResourceType("Microsoft.Network/networkManagers")
    public static let virtualWAN = ResourceType("Microsoft.Network/virtualWans")
    public static let virtualHub = ResourceType("Microsoft.Network/virtualHubs")
}
