import PalisadeModel

/// The lookups the diagram needs, built in one pass over the graph.
/// - Complexity: O(n log n) for the sorted resource list, then linear.
struct GraphIndex: Sendable {
    var networks: [VirtualNetwork] = []
    var subnets: [ResourceID: [Subnet]] = [:]
    var subnetList: [Subnet] = []
    var chips: [ResourceID: [Chip]] = [:]
    var outerNodes: [OuterNode] = []
    var privateEndpoints: [PrivateEndpoint] = []
    var endpointsByTarget: [ResourceID: [ResourceID]] = [:]
    var routeTables: [ResourceID: RouteTable] = [:]
    var subnetsByNSG: [ResourceID: [ResourceID]] = [:]
    var subnetsByRouteTable: [ResourceID: [ResourceID]] = [:]
    var virtualMachineByNIC: [ResourceID: ResourceID] = [:]
    var ownersByPublicIP: [ResourceID: [ResourceID]] = [:]
    var firewallsByPolicy: [ResourceID: [ResourceID]] = [:]
    var endpointsByZone: [ResourceID: [ResourceID]] = [:]
    var nicsByNSG: [ResourceID: [ResourceID]] = [:]
    var ownerByAddress: [IPv4Address: ResourceID] = [:]
    var firewalls: [ResourceID] = []
    var gateways: [ResourceID] = []
    var vpnClientPools: [IPv4Prefix] = []
    var internetRoutes = false
    /// The subnet each chip's resource was placed in (first placement).
    var subnetOfChip: [ResourceID: ResourceID] = [:]

    static let internetID = "ext-internet"
    static let vpnClientsID = "ext-vpn-clients"

    init(_ graph: ResourceGraph) {
        let resources = graph.resources
        var nics: [NetworkInterface] = []
        var vmLabels: [ResourceID: VirtualMachine] = [:]
        var outerIDs: Set<ResourceID> = []

        func chip(_ subnet: ResourceID?, _ resource: ResourceID, _ kind: ChipKind, _ detail: String, label: String? = nil) {
            guard let subnet else { return }
            if subnetOfChip[resource] == nil { subnetOfChip[resource] = subnet }
            chips[subnet, default: []].append(Chip(resource: resource, kind: kind, label: label ?? resource.name, detail: detail))
        }
        func outer(_ id: ResourceID, _ css: String, _ detail: String, _ order: Int) {
            guard outerIDs.insert(id).inserted else { return }
            outerNodes.append(OuterNode(resource: id, elementID: Markup.elementID(id), css: css, label: id.name,
                                        detail: detail, order: order))
        }
        func access(_ state: EnablementState?) -> String {
            switch state {
            case .some(.disabled): " · public network access disabled"
            case .some(.enabled): " · public network access enabled"
            default: ""
            }
        }

        for resource in resources {
            switch resource {
            case .virtualNetwork(let r): networks.append(r)
            case .subnet(let r):
                subnets[r.virtualNetwork, default: []].append(r)
                subnetList.append(r)
                if let nsg = r.networkSecurityGroup { subnetsByNSG[nsg, default: []].append(r.id) }
                if let table = r.routeTable { subnetsByRouteTable[table, default: []].append(r.id) }
                if let nat = r.natGateway { chip(r.id, nat, .natGateway, "NAT gateway") }
            case .routeTable(let r):
                routeTables[r.id] = r
                if r.routes.contains(where: { $0.nextHopType == .internet }) { internetRoutes = true }
            case .networkInterface(let r):
                nics.append(r)
                if let nsg = r.networkSecurityGroup { nicsByNSG[nsg, default: []].append(r.id) }
                for config in r.ipConfigurations {
                    if let pip = config.publicIPAddress { ownersByPublicIP[pip, default: []].append(r.id) }
                    if let address = config.privateIPAddress, ownerByAddress[address] == nil { ownerByAddress[address] = r.id }
                }
            case .virtualMachine(let r):
                for nic in r.networkInterfaces where virtualMachineByNIC[nic] == nil { virtualMachineByNIC[nic] = r.id }
                vmLabels[r.id] = r
            case .azureFirewall(let r):
                firewalls.append(r.id)
                let address = r.privateIPAddress.map { " · \($0)" } ?? ""
                for (n, config) in r.ipConfigurations.enumerated() {
                    if n == 0 { chip(config.subnet, r.id, .firewall, "Firewall \(r.skuTier)\(address)") }
                    if let pip = config.publicIPAddress { ownersByPublicIP[pip, default: []].append(r.id) }
                    if let ip = config.privateIPAddress, ownerByAddress[ip] == nil { ownerByAddress[ip] = r.id }
                }
                if let management = r.managementIPConfiguration {
                    chip(management.subnet, r.id, .firewall, "firewall management")
                    if let pip = management.publicIPAddress { ownersByPublicIP[pip, default: []].append(r.id) }
                }
                if let policy = r.firewallPolicy { firewallsByPolicy[policy, default: []].append(r.id) }
            case .bastionHost(let r):
                chip(r.ipConfigurations.first?.subnet, r.id, .bastion, "Bastion \(r.sku)")
                for pip in r.ipConfigurations.compactMap(\.publicIPAddress) { ownersByPublicIP[pip, default: []].append(r.id) }
            case .virtualNetworkGateway(let r):
                gateways.append(r.id)
                chip(r.ipConfigurations.first?.subnet, r.id, .gateway, "\(r.gatewayType == "Vpn" ? "VPN" : r.gatewayType) gateway \(r.sku)")
                for pip in r.ipConfigurations.compactMap(\.publicIPAddress) { ownersByPublicIP[pip, default: []].append(r.id) }
                vpnClientPools += r.vpnClientConfiguration?.addressPool ?? []
            case .privateEndpoint(let r):
                privateEndpoints.append(r)
                let groups = r.groupIDs.joined(separator: ",")
                let address = r.ipConfigurations.first.map { " · \($0.privateIPAddress)" } ?? ""
                chip(r.subnet, r.id, .privateEndpoint, "PE \(groups)\(address)")
                if let target = r.target { endpointsByTarget[target, default: []].append(r.id) }
                for zone in r.privateDnsZoneGroup?.zones ?? [] { endpointsByZone[zone, default: []].append(r.id) }
                for config in r.ipConfigurations where ownerByAddress[config.privateIPAddress] == nil {
                    ownerByAddress[config.privateIPAddress] = r.id
                }
            case .machineLearningCompute(let r):
                let kind = r.isInstance ? "compute instance" : "cluster ≤\(r.maxNodes) nodes"
                if let subnet = r.subnet {
                    chip(subnet, r.id, .compute, kind + (r.enableNodePublicIP ? " · public IP" : ""))
                } else {
                    outer(r.id, "compute", "\(kind) · managed VNet", 1)
                }
            case .machineLearningWorkspace(let r):
                let managed = r.managedNetwork.isolationMode == .disabled ? "" : " · managed VNet"
                outer(r.id, "workspace", "Workspace\(access(r.publicNetworkAccess))\(managed)", 0)
            case .storageAccount(let r): outer(r.id, "paas", "Storage\(access(r.publicNetworkAccess))", 2)
            case .keyVault(let r): outer(r.id, "paas", "Key vault\(access(r.publicNetworkAccess))", 3)
            case .containerRegistry(let r): outer(r.id, "paas", "Registry \(r.sku)\(access(r.publicNetworkAccess))", 4)
            case .applicationInsights(let r): outer(r.id, "paas", "Application Insights", 5)
            case .logAnalyticsWorkspace(let r): outer(r.id, "paas", "Log Analytics", 6)
            case .monitorPrivateLinkScope(let r): outer(r.id, "paas", "Monitor private link scope", 7)
            case .cognitiveServicesAccount(let r): outer(r.id, "paas", "\(r.kind)\(access(r.publicNetworkAccess))", 8)
            default: break
            }
        }
        // NICs: drawn as their VM when they have one, else as themselves.
        for nic in nics {
            let vm = virtualMachineByNIC[nic.id]
            let address = nic.ipConfigurations.first?.privateIPAddress.map { " · \($0)" } ?? ""
            if let vm, let machine = vmLabels[vm] {
                chip(nic.ipConfigurations.first?.subnet, vm, .virtualMachine, "VM \(machine.osType)\(address)")
            } else {
                chip(nic.ipConfigurations.first?.subnet, nic.id, .networkInterface, "NIC\(address)")
            }
        }
        // Private endpoint targets not typed above (e.g. opaque resources or targets outside the input).
        for endpoint in privateEndpoints {
            guard let target = endpoint.target, !outerIDs.contains(target) else { continue }
            let detail = graph[target] == nil ? "not in the input" : (target.resourceType?.rawValue ?? "resource")
            outer(target, "paas", detail, 9)
        }
        if !firewalls.isEmpty || internetRoutes {
            outerNodes.append(OuterNode(resource: nil, elementID: GraphIndex.internetID, css: "external", label: "Internet",
                                        detail: "public endpoints", order: -2))
        }
        if !vpnClientPools.isEmpty {
            outerNodes.append(OuterNode(resource: nil, elementID: GraphIndex.vpnClientsID, css: "external", label: "VPN clients",
                                        detail: vpnClientPools.map(\.description).joined(separator: ", "), order: -1))
        }
        // Subnets whose VNet, and chips whose subnet, is not in the input still get a (placeholder) container.
        let knownSubnets = Set(subnetList.map(\.id))
        for subnetID in chips.keys.sorted() where !knownSubnets.contains(subnetID) {
            let placeholder = Subnet(id: subnetID)
            subnets[placeholder.virtualNetwork, default: []].append(placeholder)
            subnetList.append(placeholder)
        }
        let knownNetworks = Set(networks.map(\.id))
        for networkID in subnets.keys.sorted() where !knownNetworks.contains(networkID) {
            networks.append(VirtualNetwork(id: networkID))
        }
        for key in subnets.keys { subnets[key]?.sort { ($0.addressPrefixes.first ?? .all, $0.id) < ($1.addressPrefixes.first ?? .all, $1.id) } }
    }

    /// Resources whose placement the outer node should line up with.
    func pointers(to node: OuterNode) -> [ResourceID] {
        if let resource = node.resource { return endpointsByTarget[resource] ?? [] }
        switch node.elementID {
        case GraphIndex.internetID: return firewalls
        case GraphIndex.vpnClientsID: return gateways
        default: return []
        }
    }

    /// The subnet whose prefixes contain an address.
    func subnet(containing address: IPv4Address) -> Subnet? {
        subnetList.first { $0.addressPrefixes.contains { $0.contains(address) } }
    }
}
