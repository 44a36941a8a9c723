import PalisadeModel
import PalisadeNetwork

/// Model edits several rules' fixes share.
extension ResourceID {
    /// The ID of a sibling top-level resource in the same subscription and resource group.
    func sibling(namespace: String, type: String, name: String) -> ResourceID {
        ResourceID(subscription: subscriptionID ?? "00000000-0000-0000-0000-000000000000", resourceGroup: resourceGroupName ?? "rg",
                   namespace: namespace, [(type, name)])
    }
}

extension NetworkSecurityGroup {
    /// The lowest custom-rule priority (100–4096) unused in `direction` and below `limit`, counting up from `from`.
    func freePriority(_ direction: SecurityRule.Direction, from: Int = 100, below limit: Int = 4097) -> Int? {
        let used = Set(securityRules.filter { $0.direction == direction }.map(\.priority))
        return (max(100, from)..<min(4097, limit)).first { !used.contains($0) }
    }

    /// Adds `rule` at the lowest free priority that is evaluated before `limit`; false when there is no room.
    mutating func insert(_ rule: SecurityRule, before limit: Int = 4097) -> Bool {
        guard let priority = freePriority(rule.direction, below: limit) else { return false }
        var placed = rule
        placed.priority = priority
        var name = placed.name
        var n = 2
        while securityRules.contains(where: { $0.name.lowercased() == name.lowercased() }) { name = "\(placed.name)-\(n)"; n += 1 }
        placed.name = name
        securityRules.append(placed)
        return true
    }
}

extension AddressSet {
    /// The addresses of subnets.
    static func subnets(_ subnets: [Subnet]) -> AddressSet { .prefixes(subnets.flatMap(\.addressPrefixes)) }
}

/// The NSG rules Azure Bastion needs on AzureBastionSubnet (https://learn.microsoft.com/azure/bastion/bastion-nsg).
enum BastionNetworkSecurityRules {
    /// Inbound and outbound Allow rules in the documented shape; priorities are placeholders the caller reassigns.
    static let rules: [SecurityRule] = [
        rule("AllowHttpsInbound", .inbound, "Internet", "*", [443]),
        rule("AllowGatewayManagerInbound", .inbound, "GatewayManager", "*", [443]),
        rule("AllowAzureLoadBalancerInbound", .inbound, "AzureLoadBalancer", "*", [443]),
        rule("AllowBastionHostCommunication", .inbound, "VirtualNetwork", "VirtualNetwork", [8080, 5701]),
        rule("AllowSshRdpOutbound", .outbound, "*", "VirtualNetwork", [22, 3389]),
        rule("AllowAzureCloudOutbound", .outbound, "*", "AzureCloud", [443]),
        rule("AllowBastionCommunication", .outbound, "VirtualNetwork", "VirtualNetwork", [8080, 5701]),
        rule("AllowHttpOutbound", .outbound, "*", "Internet", [80]),
    ]

    private static func rule(_ name: String, _ direction: SecurityRule.Direction, _ source: String, _ destination: String, _ ports: [Int]) -> SecurityRule {
        SecurityRule(name: name, priority: 100, direction: direction, access: .allow, protocol: .tcp,
                     source: .parse(source), destination: .parse(destination), destinationPorts: .ranges(ports.map { PortRange($0) }))
    }
}

/// Private endpoints and their DNS, the way Learn describes them: an endpoint in a subnet, a private DNS zone per
/// sub-resource, a zone group that keeps the A records, and a virtual network link from every VNet that resolves the
/// names (https://learn.microsoft.com/azure/private-link/private-endpoint-dns,
/// https://learn.microsoft.com/azure/private-link/private-endpoint-dns-integration).
extension ResourceGraph {
    /// The zones a private endpoint with these sub-resources needs.
    static func requiredZones(_ groupIDs: [String]) -> [String] {
        var zones: [String] = []
        for group in groupIDs {
            for zone in PrivateEndpointZoneNameRule.zones[group.lowercased()]?.required ?? [] where !zones.contains(zone) { zones.append(zone) }
        }
        return zones
    }

    /// The private DNS zone named `name` (existing, or created beside `near`), linked to `vnets`; its ID.
    @discardableResult
    mutating func ensureZone(_ name: String, near: ResourceID, linkedTo vnets: [ResourceID]) -> ResourceID {
        let existing = all(PrivateDnsZone.self).first { $0.name.lowercased() == name.lowercased() }
        let id = existing?.id ?? near.sibling(namespace: "Microsoft.Network", type: "privateDnsZones", name: name)
        var zone = existing ?? PrivateDnsZone(id: id)
        for vnet in vnets where !zone.virtualNetworkLinks.contains(where: { $0.virtualNetwork == vnet }) {
            var linkName = "link-\(vnet.name)"
            var n = 2
            while zone.virtualNetworkLinks.contains(where: { $0.name.lowercased() == linkName.lowercased() }) { linkName = "link-\(vnet.name)-\(n)"; n += 1 }
            zone.virtualNetworkLinks.append(VirtualNetworkLink(name: linkName, virtualNetwork: vnet))
        }
        insert(zone)
        return id
    }

    /// Gives `endpoint` a zone group with the zones its sub-resources need (replacing any other), each zone linked to
    /// the endpoint's VNet and to `vnets`.
    mutating func ensureZoneGroup(_ endpoint: ResourceID, linkedTo vnets: [ResourceID] = []) {
        guard let pe = resource(endpoint, as: PrivateEndpoint.self) else { return }
        let links = ([pe.subnet?.parent].compactMap { $0 } + vnets).reduce(into: [ResourceID]()) { if !$0.contains($1) { $0.append($1) } }
        let zones = Self.requiredZones(pe.groupIDs).map { ensureZone($0, near: endpoint, linkedTo: links) }
        update(endpoint, as: PrivateEndpoint.self) { $0.privateDnsZoneGroup = PrivateDnsZoneGroup(name: $0.privateDnsZoneGroup?.name ?? "default", zones: zones) }
    }

    /// The VNets whose clients resolve names through Azure DNS (no custom DNS servers) and that host something:
    /// compute, NICs or private endpoints.
    var resolvingNetworks: [ResourceID] {
        let used = Set(all(MachineLearningCompute.self).compactMap { $0.subnet?.parent }
            + all(NetworkInterface.self).flatMap { $0.ipConfigurations.compactMap { $0.subnet?.parent } }
            + all(PrivateEndpoint.self).compactMap { $0.subnet?.parent })
        return all(VirtualNetwork.self).filter { used.contains($0.id) && $0.dnsServers.isEmpty }.map(\.id)
    }

    /// The subnet a new private endpoint goes in: one that already holds private endpoints, else one named for them,
    /// else the first ordinary subnet (not a platform subnet, not delegated).
    var privateEndpointSubnet: ResourceID? { privateEndpointSubnet(in: nil) }

    /// The same choice limited to one VNet (any VNet when nil).
    func privateEndpointSubnet(in vnet: ResourceID?) -> ResourceID? {
        if let existing = all(PrivateEndpoint.self).compactMap(\.subnet).filter({ vnet == nil || $0.parent == vnet }).sorted().first { return existing }
        let ordinary = all(Subnet.self).filter { subnet in
            (vnet == nil || subnet.virtualNetwork == vnet) &&
            subnet.delegations.isEmpty && !["azurefirewallsubnet", "azurefirewallmanagementsubnet", "gatewaysubnet", "azurebastionsubnet", "routeserversubnet"]
                .contains(subnet.name.lowercased())
        }
        return (ordinary.first { $0.name.lowercased().contains("endpoint") || $0.name.lowercased().hasPrefix("pe") } ?? ordinary.first)?.id
    }

    /// The sub-resources a private endpoint to `target` needs (AML uses blob and file on its storage account).
    func privateLinkGroups(for target: ResourceID) -> [String]? {
        switch self[target] {
        case .machineLearningWorkspace: ["amlworkspace"]
        case .storageAccount: ["blob", "file"]
        case .keyVault: ["vault"]
        case .containerRegistry: ["registry"]
        case .cognitiveServicesAccount: ["account"]
        default: target.resourceType == MachineLearningWorkspace.resourceType ? ["amlworkspace"] : nil
        }
    }

    /// Adds private endpoints (one per sub-resource) to `target` in `subnet`, each with its zone group and zones
    /// linked to `vnets` too; the new endpoints' IDs.
    @discardableResult
    mutating func addPrivateEndpoints(to target: ResourceID, in subnet: ResourceID, linkedTo vnets: [ResourceID]) -> [ResourceID] {
        guard let groups = privateLinkGroups(for: target) else { return [] }
        let location = self[target]?.payload.location ?? resource(subnet.parent, as: VirtualNetwork.self)?.location
        return groups.map { group in
            let id = target.sibling(namespace: "Microsoft.Network", type: "privateEndpoints", name: "pe-\(target.name)-\(group)".lowercased())
            var pe = PrivateEndpoint(id: id, location: location)
            pe.subnet = subnet
            pe.target = target
            pe.groupIDs = [group]
            insert(pe)
            ensureZoneGroup(id, linkedTo: vnets)
            return id
        }
    }
}

extension ResourceGraph {
    /// Puts an Application Insights component or Log Analytics workspace behind Azure Monitor Private Link: into an
    /// existing private link scope that has a private endpoint, else a new scope (access modes Open, as AML needs)
    /// with a private endpoint in `subnet` and the Azure Monitor zones
    /// (https://learn.microsoft.com/azure/azure-monitor/logs/private-link-configure).
    mutating func addMonitorPrivateLink(for resource: ResourceID, in subnet: ResourceID, linkedTo vnets: [ResourceID]) {
        if let scope = all(MonitorPrivateLinkScope.self).first(where: { !privateEndpoints(targeting: $0.id).isEmpty }) {
            update(scope.id, as: MonitorPrivateLinkScope.self) { if !$0.scopedResources.contains(resource) { $0.scopedResources.append(resource) } }
            return
        }
        let scopeID = resource.sibling(namespace: "microsoft.insights", type: "privateLinkScopes", name: "ampls-\(resource.resourceGroupName ?? "monitor")".lowercased())
        var scope = all(MonitorPrivateLinkScope.self).first ?? MonitorPrivateLinkScope(id: scopeID)
        if !scope.scopedResources.contains(resource) { scope.scopedResources.append(resource) }
        insert(scope)
        let id = resource.sibling(namespace: "Microsoft.Network", type: "privateEndpoints", name: "pe-\(scope.id.name)".lowercased())
        var pe = PrivateEndpoint(id: id, location: self.resource(subnet.parent, as: VirtualNetwork.self)?.location)
        pe.subnet = subnet
        pe.target = scope.id
        pe.groupIDs = ["azuremonitor"]
        insert(pe)
        ensureZoneGroup(id, linkedTo: vnets)
    }

    /// Gives `target` a private path: private endpoints (or Azure Monitor Private Link) in the estate's endpoint
    /// subnet; false when there is no subnet for them or the service has no private link.
    mutating func addPrivatePath(to target: ResourceID) -> Bool {
        guard let subnet = privateEndpointSubnet else { return false }
        let vnets = resolvingNetworks
        switch self[target] {
        case .applicationInsights, .logAnalyticsWorkspace:
            addMonitorPrivateLink(for: target, in: subnet, linkedTo: vnets)
            return true
        default:
            return !addPrivateEndpoints(to: target, in: subnet, linkedTo: vnets).isEmpty
        }
    }
}

extension AddressSet {
    /// Everything outside the private and reserved ranges, with every service tag and named host: the Internet.
    static var internet: AddressSet { AddressSet.all.subtracting(.prefixes(WellKnownRanges.nonPublic)) }
}

extension RuleContext {
    /// The private IP of the one Azure Firewall that can take `subnet`'s traffic (same VNet or a peered one): as
    /// given, or the first usable address of its subnet, which Azure assigns
    /// (https://learn.microsoft.com/azure/firewall/tutorial-firewall-deploy-portal#create-a-default-route).
    func firewallAddress(for subnet: Subnet) -> IPv4Address? {
        let vnet = graph.resource(subnet.virtualNetwork, as: VirtualNetwork.self)
        let reachable = Set([subnet.virtualNetwork] + (vnet?.peerings.map(\.remoteVirtualNetwork) ?? []))
        let candidates = graph.all(AzureFirewall.self).filter { firewall in
            firewall.ipConfigurations.contains { $0.subnet?.parent.map(reachable.contains) ?? false }
        }
        guard candidates.count == 1, let firewall = candidates.first else { return nil }
        if let ip = firewall.privateIPAddress { return ip }
        return graph.resource(firewall.ipConfigurations.first?.subnet, as: Subnet.self)?.addressPrefixes.first?.firstAzureUsable
    }
}

extension ResourceGraph {
    /// Sends `subnet`'s 0.0.0.0/0 to `address` (a firewall) through its route table, creating one when it has none.
    mutating func routeDefault(of subnet: Subnet, to address: IPv4Address) {
        let route = Route(name: "default-to-firewall", destination: .prefix(IPv4Prefix("0.0.0.0/0")!), nextHopType: .virtualAppliance, nextHopIPAddress: address)
        if let tableID = subnet.routeTable, resource(tableID, as: RouteTable.self) != nil {
            update(tableID, as: RouteTable.self) { table in
                table.routes.removeAll { if case .prefix(let p) = $0.destination { p.length == 0 } else { false } }
                table.routes.append(route)
            }
            return
        }
        let tableID = subnet.id.sibling(namespace: "Microsoft.Network", type: "routeTables", name: "rt-\(subnet.virtualNetwork.name)-\(subnet.name)".lowercased())
        var table = RouteTable(id: tableID, location: resource(subnet.virtualNetwork, as: VirtualNetwork.self)?.location)
        table.routes = [route]
        insert(table)
        update(subnet.id, as: Subnet.self) { $0.routeTable = tableID }
    }

    /// Attaches a new NAT gateway with a Standard static public IP to `subnet`
    /// (https://learn.microsoft.com/azure/nat-gateway/nat-overview).
    mutating func attachNatGateway(to subnet: Subnet) {
        let location = resource(subnet.virtualNetwork, as: VirtualNetwork.self)?.location
        let base = "\(subnet.virtualNetwork.name)-\(subnet.name)".lowercased()
        var address = PublicIPAddress(id: subnet.id.sibling(namespace: "Microsoft.Network", type: "publicIPAddresses", name: "pip-ng-\(base)"), location: location)
        address.sku = "Standard"
        address.allocationMethod = "Static"
        insert(address)
        var gateway = NatGateway(id: subnet.id.sibling(namespace: "Microsoft.Network", type: "natGateways", name: "ng-\(base)"), location: location)
        gateway.publicIPAddresses = [address.id]
        insert(gateway)
        update(subnet.id, as: Subnet.self) { $0.natGateway = gateway.id }
    }
}

extension ResourceGraph {
    /// Assigns `role` to the identity `principal` (a user-assigned identity or a resource's system identity) at
    /// `scope` (https://learn.microsoft.com/azure/role-based-access-control/role-assignments-template).
    mutating func assign(_ role: BuiltInRoleDefinition, at scope: ResourceID, to principal: ResourceID) {
        let roleID = "/providers/Microsoft.Authorization/roleDefinitions/\(role.id)"
        var assignment = RoleAssignment(name: StableGUID.make(scope.rawValue.lowercased(), role.id, principal.rawValue.lowercased()), scope: scope, roleDefinitionID: roleID)
        assignment.roleName = role.name
        assignment.principal = principal
        insert(assignment)
    }
}

extension MachineLearningWorkspace {
    /// The identity that acts for the workspace: its primary user-assigned identity, else its first, else itself.
    var actingIdentity: ResourceID { primaryUserAssignedIdentity ?? identity.userAssigned.first ?? id }
}

extension ResourceGraph {
    /// Points the workspace's image builds at one of its compute clusters, creating a small one (0–1 nodes, no public
    /// IP when its subnet has compute without them) beside the workspace's other compute when it has none
    /// (https://learn.microsoft.com/azure/machine-learning/how-to-secure-workspace-vnet#enable-azure-container-registry-acr).
    /// Returns the cluster's name.
    @discardableResult
    mutating func useImageBuildCluster(for workspace: ResourceID) -> String {
        let computes = all(MachineLearningCompute.self).filter { $0.workspace == workspace }
        if let cluster = computes.first(where: { !$0.isInstance }) {
            update(workspace, as: MachineLearningWorkspace.self) { $0.imageBuildCompute = cluster.name }
            return cluster.name
        }
        let name = "image-build"
        var cluster = MachineLearningCompute(id: workspace.child("computes", name),
                                             location: resource(workspace, as: MachineLearningWorkspace.self)?.location)
        if let sibling = computes.first(where: { $0.subnet != nil }) {
            cluster.subnet = sibling.subnet
            cluster.enableNodePublicIP = sibling.enableNodePublicIP
        }
        cluster.identity = ManagedIdentity(systemAssigned: true)
        insert(cluster)
        update(workspace, as: MachineLearningWorkspace.self) { $0.imageBuildCompute = name }
        return name
    }
}
