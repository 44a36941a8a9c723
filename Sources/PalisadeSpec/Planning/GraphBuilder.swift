import PalisadeModel

/// Builds every resource of a design into the graph. Each `add…` step does one concern and states what it
/// assumes; the order matters only where noted (subnets before anything that sits in them).
struct GraphBuilder {
    let spec: Spec
    let naming: Naming
    let plan: AddressPlan
    var graph = ResourceGraph()

    init(spec: Spec, naming: Naming, plan: AddressPlan) {
        self.spec = spec
        self.naming = naming
        self.plan = plan
    }

    var location: String { naming.region.name }
    var tags: [String: String] { spec.tags.merging(["environment": spec.name, "managed-by": "palisade"]) { a, _ in a } }

    mutating func insert<T: AzureResource>(_ resource: T) {
        var copy = resource
        if copy.tags.isEmpty, !(copy is Subnet) { copy.tags = tags }
        graph.insert(copy)
    }

    mutating func build(into diagnostics: inout Diagnostics, locate: (String) -> SourceLocation?) {
        insert(ResourceGroup(id: naming.resourceGroupID, location: location))
        // An existing spoke VNet lives in the spec's resource group (the validator insists), so the group exists.
        if spec.landingZone?.spoke != nil { graph.existing.insert(naming.resourceGroupID) }
        addMonitoring()
        addNetwork()
        addFirewall()
        addAccess()
        addDataServices()
        addWorkspace()
        addPrivateEndpoints()
        addIdentitiesAndRoles()
        addDiagnostics()
        addLandingZone()
        graph.waivers = spec.waivers.enumerated().map { index, waiver in
            Waiver(ruleID: waiver.rule, resource: waiver.resource, reason: waiver.reason, source: locate("waivers[\(index)]"))
        }
        for (from, to) in graph.danglingReferences {
            diagnostics.append(Diagnostic(.error, code: "plan.internal-reference",
                                          "planned resource '\(from.name)' refers to '\(to)', which the plan does not create"))
        }
    }

    // MARK: - Network

    /// The firewall's private IP: the first address Azure hands out in AzureFirewallSubnet (.4). Observed
    /// behaviour, not a documented promise; templates hard-code it the same way.
    var firewallPrivateIP: IPv4Address? {
        plan.subnet(named: SpecialSubnet.firewall.rawValue).map(\.prefix.firstAzureUsable)
    }

    var deployedSubnets: [PlannedSubnet] { plan.subnets.filter { !$0.isReserved } }

    func hosts(_ subnet: PlannedSubnet, _ use: SubnetUse) -> Bool { subnet.uses.contains(use) }

    mutating func addNetwork() {
        var vnet = VirtualNetwork(id: naming.virtualNetwork, location: location)
        vnet.addressSpace = [plan.addressSpace]
        vnet.dnsServers = spec.landingZone.map { [$0.dns.resolverInboundIp] } ?? spec.network.dnsServers
        if let landingZone = spec.landingZone, let peering = spokePeering(landingZone) { vnet.peerings = [peering] }
        let existingSpoke = spec.landingZone?.spoke
        if let existingSpoke {
            // The platform's VNet, referenced and never redeployed: its address space as declared, and (an assumption
            // the documentation states) the resolver as DNS server, as the platform's subscription vending sets it.
            // The spoke's side of the peering is its own child resource, deployed beside the new subnets.
            vnet.addressSpace = existingSpoke.addressSpace ?? [plan.addressSpace]
            graph.insert(vnet)
            graph.existing.insert(vnet.id)
        } else {
            insert(vnet)
        }
        let reusedNames = Set(existingSpoke?.subnets.all.map(\.subnet.name) ?? [])

        let egressThroughFirewall = spec.routesThroughFirewall
        if egressThroughFirewall, let firewallIP = spec.landingZone?.firewall.privateIp ?? firewallPrivateIP {
            var table = RouteTable(id: naming.routeTable, location: location)
            // Behind a hub gateway, routes learned over BGP (on-premises prefixes) would send traffic around the
            // central firewall; the spoke's route table does not take them
            // (https://learn.microsoft.com/azure/vpn-gateway/vpn-gateway-peering-gateway-transit).
            table.disableBgpRoutePropagation = spec.landingZone?.hub?.gateway ?? false
            table.routes = [Route(name: "default-via-firewall", destination: .prefix(.all), nextHopType: .virtualAppliance,
                                  nextHopIPAddress: firewallIP)]
            if spec.compute.publicIP {
                // Public-IP compute behind a firewall: AML and Batch management must bypass it.
                table.routes += [
                    Route(name: "aml-to-internet", destination: .serviceTag("AzureMachineLearning"), nextHopType: .internet),
                    Route(name: "batch-to-internet", destination: .serviceTag(naming.region.tag("BatchNodeManagement")),
                          nextHopType: .internet),
                ]
            }
            insert(table)
        }

        for planned in deployedSubnets {
            var subnet = Subnet(id: naming.subnet(planned.name))
            subnet.addressPrefixes = [planned.prefix]
            let special = SpecialSubnet.named(planned.name)
            let reused = reusedNames.contains(planned.name)
            // NSGs on every subnet that allows one: not GatewaySubnet (docs/semantics.md#gateway-subnet), not the firewall subnets (docs/semantics.md#firewall-placement).
            if special == nil || special == .bastion {
                subnet.networkSecurityGroup = naming.networkSecurityGroup(for: planned.name)
                insert(networkSecurityGroup(for: planned))
            }
            if special == nil {
                // A reused subnet keeps its default outbound access setting (its routes go to the firewall anyway);
                // the rest below is what the workspace needs of the subnet, reused or new.
                if !reused { subnet.defaultOutboundAccess = false }
                if egressThroughFirewall, hosts(planned, .compute) || hosts(planned, .jumpbox) || hosts(planned, .scoring) {
                    subnet.routeTable = naming.routeTable
                }
                if hosts(planned, .compute) {
                    // No-public-IP compute needs both network policies disabled (docs/semantics.md#private-link-service-network-policies), and storage egress goes
                    // over a service endpoint held to the workspace's accounts by a policy (docs/semantics.md#service-endpoint-policies).
                    subnet.privateEndpointNetworkPolicies = .disabled
                    subnet.privateLinkServiceNetworkPolicies = .disabled
                    subnet.serviceEndpoints = [ServiceEndpoint(service: "Microsoft.Storage", locations: [location])]
                    subnet.serviceEndpointPolicies = [naming.serviceEndpointPolicy]
                } else if hosts(planned, .privateEndpoints) {
                    // A dedicated endpoint subnet lets NSG rules apply to its endpoints (docs/semantics.md#private-endpoint-network-policies).
                    subnet.privateEndpointNetworkPolicies = .networkSecurityGroupEnabled
                }
            }
            insert(subnet)
            // A reused subnet exists: renderers link the NSG and route table to it and update the properties the
            // workspace needs, never create it.
            if reused { graph.existing.insert(subnet.id) }
        }
        if deployedSubnets.contains(where: { hosts($0, .compute) }) {
            var policy = ServiceEndpointPolicy(id: naming.serviceEndpointPolicy, location: location)
            policy.definitions = [ServiceEndpointPolicyDefinition(
                name: "workspace-storage", serviceResources: [naming.storageAccount.rawValue],
                serviceAliases: ["/services/Azure/MachineLearning"])]
            insert(policy)
        }
    }

    func networkSecurityGroup(for planned: PlannedSubnet) -> NetworkSecurityGroup {
        var nsg = NetworkSecurityGroup(id: naming.networkSecurityGroup(for: planned.name), location: location)
        if SpecialSubnet.named(planned.name) == .bastion {
            nsg.securityRules = Self.bastionRules
            return nsg
        }
        var rules: [SecurityRule] = []
        if hosts(planned, .compute), spec.compute.publicIP {
            rules.append(SecurityRule(name: "AllowAzureMachineLearningInbound", priority: 100, direction: .inbound, access: .allow,
                                      protocol: .tcp, source: .serviceTag("AzureMachineLearning"), destination: .serviceTag("VirtualNetwork"),
                                      destinationPorts: .ports(44224), description: "Azure Machine Learning manages public-IP compute on 44224"))
        }
        if hosts(planned, .jumpbox), let bastion = plan.subnet(named: SpecialSubnet.bastion.rawValue) {
            rules.append(SecurityRule(name: "AllowBastionInbound", priority: 110, direction: .inbound, access: .allow,
                                      protocol: .tcp, source: .prefixes([bastion.prefix]), destination: .any,
                                      destinationPorts: .ports(22, 3389), description: "RDP/SSH from AzureBastionSubnet"))
        } else if hosts(planned, .jumpbox), let hub = spec.landingZone?.hub {
            // In a landing zone the platform's Bastion sits in the hub.
            rules.append(SecurityRule(name: "AllowHubBastionInbound", priority: 110, direction: .inbound, access: .allow,
                                      protocol: .tcp, source: .prefixes(hub.addressSpace), destination: .any,
                                      destinationPorts: .ports(22, 3389), description: "RDP/SSH from the platform's Bastion in the hub"))
        }
        if hosts(planned, .privateEndpoints) {
            rules.append(SecurityRule(name: "AllowVirtualNetworkToEndpoints", priority: 120, direction: .inbound, access: .allow,
                                      protocol: .tcp, source: .serviceTag("VirtualNetwork"), destination: .prefixes([planned.prefix]),
                                      destinationPorts: .ports(443, 445), description: "HTTPS and SMB to private endpoints"))
        }
        if hosts(planned, .compute) {
            rules.append(SecurityRule(name: "AllowStorageOutbound", priority: 100, direction: .outbound, access: .allow,
                                      protocol: .tcp, source: .serviceTag("VirtualNetwork"),
                                      destination: .serviceTag(naming.region.tag("Storage")), destinationPorts: .ports(443, 445),
                                      description: "storage mounts need 443 and 445"))
        }
        // The default AllowVNetInBound matches Internet sources once a 0.0.0.0/0 UDR widens VirtualNetwork
        // (docs/semantics.md#virtualnetwork-tag), so deny Internet explicitly.
        rules.append(SecurityRule(name: "DenyInternetInbound", priority: 4096, direction: .inbound, access: .deny,
                                  protocol: .any, source: .serviceTag("Internet"), destination: .any, destinationPorts: .any,
                                  description: "no inbound from the internet (a 0.0.0.0/0 route widens VirtualNetwork)"))
        nsg.securityRules = rules
        return nsg
    }

    /// The NSG rules Azure Bastion requires on AzureBastionSubnet (docs/semantics.md#bastion),
    /// with privateAML's names and priorities.
    static let bastionRules: [SecurityRule] = [
        SecurityRule(name: "AllowInboundInternet", priority: 4000, direction: .inbound, access: .allow, protocol: .tcp,
                     source: .serviceTag("Internet"), destination: .any, destinationPorts: .ports(443)),
        SecurityRule(name: "AllowInboundGatewayManager", priority: 4001, direction: .inbound, access: .allow, protocol: .tcp,
                     source: .serviceTag("GatewayManager"), destination: .any, destinationPorts: .ports(443)),
        SecurityRule(name: "AllowInboundAzureLoadBalancer", priority: 4002, direction: .inbound, access: .allow, protocol: .tcp,
                     source: .serviceTag("AzureLoadBalancer"), destination: .any, destinationPorts: .ports(443)),
        SecurityRule(name: "AllowInboundHostCommunication", priority: 4003, direction: .inbound, access: .allow, protocol: .any,
                     source: .serviceTag("VirtualNetwork"), destination: .serviceTag("VirtualNetwork"), destinationPorts: .ports(5701, 8080)),
        SecurityRule(name: "AllowOutboundSshRdp", priority: 4020, direction: .outbound, access: .allow, protocol: .any,
                     source: .any, destination: .serviceTag("VirtualNetwork"), destinationPorts: .ports(22, 3389)),
        SecurityRule(name: "AllowOutboundAzureCloud", priority: 4021, direction: .outbound, access: .allow, protocol: .tcp,
                     source: .any, destination: .serviceTag("AzureCloud"), destinationPorts: .ports(443)),
        SecurityRule(name: "AllowOutboundHostCommunication", priority: 4022, direction: .outbound, access: .allow, protocol: .any,
                     source: .serviceTag("VirtualNetwork"), destination: .serviceTag("VirtualNetwork"), destinationPorts: .ports(5701, 8080)),
        SecurityRule(name: "AllowOutboundGetSessionInformation", priority: 4023, direction: .outbound, access: .allow, protocol: .any,
                     source: .any, destination: .serviceTag("Internet"), destinationPorts: .ports(80)),
    ]
}
