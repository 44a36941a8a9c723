import PalisadeModel

extension EnvironmentDesigner {
    /// Gives every planned resource the place in the spec it comes from, so a finding on it can be shown at a
    /// line and column (GitHub code scanning places SARIF results only with one). `locate` returns the deepest
    /// key of the path present in the file, so a resource built from defaults points at the section, or at the
    /// document, that would configure it. Resources that already have a location keep it; without a file
    /// (`locate` returns nil, the built-in default) nothing changes.
    static func attachSourceLocations(_ graph: inout ResourceGraph, spec: Spec, locate: (String) -> SourceLocation?) {
        for resource in graph.resources where resource.source == nil {
            guard let location = locate(specKeyPath(of: resource, spec: spec)) else { continue }
            var payload = resource.payload
            payload.source = location
            graph.insert(payload.asResource)
        }
    }

    /// The spec key a planned resource is configured by.
    static func specKeyPath(of resource: Resource, spec: Spec) -> String {
        if let spoke = spec.landingZone?.spoke {
            // An existing spoke VNet and its reused subnets point at where the spec names them.
            if resource.id == ResourceID(spoke.virtualNetworkId) { return "landingZone.spoke.virtualNetworkId" }
            if case .subnet(let subnet) = resource, subnet.virtualNetwork == ResourceID(spoke.virtualNetworkId),
               let reused = spoke.subnets.all.first(where: { $0.subnet.name.lowercased() == subnet.name.lowercased() }) {
                return "landingZone.spoke.subnets.\(reused.key)"
            }
        }
        switch resource {
        case .subnet(let subnet):
            let index = spec.network.subnets?.firstIndex { $0.name.lowercased() == subnet.name.lowercased() }
            return index.map { "network.subnets[\($0)]" } ?? "network.subnets"
        case .virtualNetwork, .networkSecurityGroup, .applicationSecurityGroup, .routeTable, .natGateway, .privateDnsZone:
            return "network"
        case .azureFirewall, .firewallPolicy, .ipGroup:
            return "firewall"
        case .bastionHost:
            return "access.bastion"
        case .virtualNetworkGateway:
            return "access.vpn"
        case .virtualMachine, .networkInterface:
            return "access.jumpbox"
        case .publicIPAddress(let address):
            // Names from `Naming`: pip-afw-…, pip-bas-…, pip-vgw-….
            let name = address.name.lowercased()
            return name.hasPrefix("pip-afw") ? "firewall" : name.hasPrefix("pip-bas") ? "access.bastion"
                : name.hasPrefix("pip-vgw") ? "access.vpn" : "access"
        case .machineLearningCompute(let compute):
            return compute.name == spec.compute.instance?.name ? "compute.instance" : "compute.cluster"
        case .machineLearningWorkspace, .userAssignedIdentity, .roleAssignment:
            return "workspace"
        case .storageAccount, .serviceEndpointPolicy:
            return "storage"
        case .keyVault, .keyVaultSecret:
            return "keyVault"
        case .containerRegistry:
            return "registry"
        case .cognitiveServicesAccount:
            return "services"
        case .applicationInsights, .logAnalyticsWorkspace, .monitorPrivateLinkScope, .diagnosticSetting:
            return "monitoring"
        case .privateEndpoint, .loadBalancer, .localNetworkGateway, .virtualNetworkGatewayConnection, .dnsResolver, .dnsForwardingRuleset,
             .networkManager, .virtualWAN, .virtualHub:
            return "network"
        case .resourceGroup, .opaque:
            return "name"
        }
    }
}
