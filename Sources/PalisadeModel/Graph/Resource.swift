/// The closed set of resource kinds the graph holds; dispatch with `switch`, never dynamic casts.
public enum Resource: Hashable, Sendable, Codable {
    case resourceGroup(ResourceGroup)
    case virtualNetwork(VirtualNetwork)
    case subnet(Subnet)
    case networkSecurityGroup(NetworkSecurityGroup)
    case applicationSecurityGroup(ApplicationSecurityGroup)
    case routeTable(RouteTable)
    case publicIPAddress(PublicIPAddress)
    case networkInterface(NetworkInterface)
    case virtualMachine(VirtualMachine)
    case bastionHost(BastionHost)
    case virtualNetworkGateway(VirtualNetworkGateway)
    case natGateway(NatGateway)
    case azureFirewall(AzureFirewall)
    case firewallPolicy(FirewallPolicy)
    case ipGroup(IPGroup)
    case privateEndpoint(PrivateEndpoint)
    case privateDnsZone(PrivateDnsZone)
    case serviceEndpointPolicy(ServiceEndpointPolicy)
    case machineLearningWorkspace(MachineLearningWorkspace)
    case machineLearningCompute(MachineLearningCompute)
    case storageAccount(StorageAccount)
    case keyVault(KeyVault)
    case keyVaultSecret(KeyVaultSecret)
    case containerRegistry(ContainerRegistry)
    case cognitiveServicesAccount(CognitiveServicesAccount)
    case applicationInsights(ApplicationInsights)
    case logAnalyticsWorkspace(LogAnalyticsWorkspace)
    case monitorPrivateLinkScope(MonitorPrivateLinkScope)
    case diagnosticSetting(DiagnosticSetting)
    case userAssignedIdentity(UserAssignedIdentity)
    case roleAssignment(RoleAssignment)
    case networkManager(NetworkManager)
    case virtualWAN(VirtualWAN)
    case virtualHub(VirtualHub)
    case opaque(OpaqueResource)

    /// The wrapped resource.
    public var payload: any AzureResource {
        switch self {
        case .resourceGroup(let r): r
        case .virtualNetwork(let r): r
        case .subnet(let r): r
        case .networkSecurityGroup(let r): r
        case .applicationSecurityGroup(let r): r
        case .routeTable(let r): r
        case .publicIPAddress(let r): r
        case .networkInterface(let r): r
        case .virtualMachine(let r): r
        case .bastionHost(let r): r
        case .virtualNetworkGateway(let r): r
        case .natGateway(let r): r
        case .azureFirewall(let r): r
        case .firewallPolicy(let r): r
        case .ipGroup(let r): r
        case .privateEndpoint(let r): r
        case .privateDnsZone(let r): r
        case .serviceEndpointPolicy(let r): r
        case .machineLearningWorkspace(let r): r
        case .machineLearningCompute(let r): r
        case .storageAccount(let r): r
        case .keyVault(let r): r
        case .keyVaultSecret(let r): r
        case .containerRegistry(let r): r
        case .cognitiveServicesAccount(let r): r
        case .applicationInsights(let r): r
        case .logAnalyticsWorkspace(let r): r
        case .monitorPrivateLinkScope(let r): r
        case .diagnosticSetting(let r): r
        case .userAssignedIdentity(let r): r
        case .roleAssignment(let r): r
        case .networkManager(let r): r
        case .virtualWAN(let r): r
        case .virtualHub(let r): r
        case .opaque(let r): r
        }
    }

    /// Every typed kind, in the order reports list them.
    public static let kinds: [any AzureResource.Type] = [
        ResourceGroup.self, VirtualNetwork.self, Subnet.self, NetworkSecurityGroup.self, ApplicationSecurityGroup.self,
        RouteTable.self, PublicIPAddress.self, NetworkInterface.self, VirtualMachine.self, BastionHost.self,
        VirtualNetworkGateway.self, NatGateway.self, AzureFirewall.self, FirewallPolicy.self, IPGroup.self,
        PrivateEndpoint.self, PrivateDnsZone.self, ServiceEndpointPolicy.self, MachineLearningWorkspace.self,
        MachineLearningCompute.self, StorageAccount.self, KeyVault.self, KeyVaultSecret.self, ContainerRegistry.self,
        CognitiveServicesAccount.self, ApplicationInsights.self, LogAnalyticsWorkspace.self,
        MonitorPrivateLinkScope.self, DiagnosticSetting.self, UserAssignedIdentity.self, RoleAssignment.self,
        NetworkManager.self, VirtualWAN.self, VirtualHub.self,
    ]

    /// The resource's ID.
    public var id: ResourceID { payload.id }

    /// The resource's ARM type (the real type for opaque resources).
    public var type: ResourceType {
        if case .opaque(let r) = self { return r.type }
        return Swift.type(of: payload).resourceType
    }

    /// Where the resource was declared.
    public var source: SourceLocation? { payload.source }

    private enum CodingKeys: String, CodingKey { case type }

    public init(from decoder: any Decoder) throws {
        let type = ResourceType(try decoder.container(keyedBy: CodingKeys.self).decode(String.self, forKey: .type))
        guard let kind = Resource.kinds.first(where: { $0.resourceType == type }) else {
            self = .opaque(try OpaqueResource(from: decoder))
            return
        }
        self = try Resource.decode(kind, from: decoder)
    }

    private static func decode<T: AzureResource>(_ kind: T.Type, from decoder: any Decoder) throws -> Resource {
        try T(from: decoder).asResource
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(type.rawValue, forKey: .type)
        try payload.encode(to: encoder)
    }
}
