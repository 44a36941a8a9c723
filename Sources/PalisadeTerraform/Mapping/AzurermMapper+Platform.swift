import Foundation
import PalisadeModel

/// The platform pieces of a landing zone: load balancers, on-premises sites and gateway connections, DNS Private
/// Resolvers and forwarding rulesets, Virtual WAN hubs, and Azure Virtual Network Manager. They map to the same model
/// objects the ARM importer builds; child resources (a hub's connections, a manager's rules) merge into their parent,
/// which is mapped first. Argument names follow the azurerm documentation of each type
/// (https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/<type without azurerm_>).
extension AzurermMapper {
    /// Child types, in the order they are merged: each one's parent comes earlier (or is a primary type).
    static let platformChildren: [String] = [
        "azurerm_lb_backend_address_pool", "azurerm_lb_backend_address_pool_address", "azurerm_lb_probe", "azurerm_lb_rule",
        "azurerm_lb_nat_rule", "azurerm_network_interface_backend_address_pool_association",
        "azurerm_network_interface_nat_rule_association",
        "azurerm_private_dns_resolver_inbound_endpoint", "azurerm_private_dns_resolver_outbound_endpoint",
        "azurerm_private_dns_resolver_forwarding_rule", "azurerm_private_dns_resolver_virtual_network_link",
        "azurerm_virtual_hub_route_table", "azurerm_virtual_hub_route_table_route", "azurerm_virtual_hub_connection",
        "azurerm_virtual_hub_routing_intent",
        "azurerm_network_manager_network_group", "azurerm_network_manager_static_member",
        "azurerm_network_manager_security_admin_configuration", "azurerm_network_manager_admin_rule_collection",
        "azurerm_network_manager_admin_rule", "azurerm_network_manager_connectivity_configuration",
        "azurerm_network_manager_deployment",
    ]

    /// Maps a top-level platform type; false when `instance` is not one.
    mutating func mapPlatformPrimary(_ instance: ResourceInstance) -> Bool {
        let v = instance.value
        switch instance.type {
        case "azurerm_lb":
            guard let id = id(instance) else { return true }
            var lb = LoadBalancer(id: id, location: location(v))
            lb.tags = tags(v)
            // 4.x defaults sku to Standard, 3.x to Basic (https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/guides/4.0-upgrade-guide#azurerm_lb).
            lb.sku = string(v, "sku") ?? (providerMajor >= 4 ? "Standard" : "Basic")
            lb.frontends = blocks(v, "frontend_ip_configuration").enumerated().map { index, f in
                LoadBalancerFrontend(name: string(f, "name") ?? "frontend\(index)", subnet: rid(f, "subnet_id"),
                                     privateIPAddress: f["private_ip_address"].flatMap(knownAddress),
                                     publicIPAddress: rid(f, "public_ip_address_id"))
            }
            insert(lb)
        case "azurerm_local_network_gateway":
            guard let id = id(instance) else { return true }
            var site = LocalNetworkGateway(id: id, location: location(v))
            site.tags = tags(v)
            site.gatewayIPAddress = string(v, "gateway_address")
            site.fqdn = string(v, "gateway_fqdn")
            site.addressPrefixes = prefixes(strings(v, "address_space"), "address_space")
            if let bgp = block(v, "bgp_settings") {
                site.bgpASN = int(bgp, "asn")
                site.bgpPeeringAddress = string(bgp, "bgp_peering_address")
            }
            insert(site)
        case "azurerm_virtual_network_gateway_connection":
            guard let id = id(instance) else { return true }
            // The shared key is a secret and is not kept.
            var connection = VirtualNetworkGatewayConnection(id: id, location: location(v))
            connection.tags = tags(v)
            connection.connectionType = string(v, "type") ?? connection.connectionType
            connection.virtualNetworkGateway = rid(v, "virtual_network_gateway_id")
            connection.localNetworkGateway = rid(v, "local_network_gateway_id")
            connection.remoteVirtualNetworkGateway = rid(v, "peer_virtual_network_gateway_id")
            connection.expressRouteCircuit = rid(v, "express_route_circuit_id")
            // 4.x enable_bgp, renamed bgp_enabled (4.81 and 5.x).
            connection.enableBgp = bool(v, "bgp_enabled") ?? bool(v, "enable_bgp") ?? false
            insert(connection)
        case "azurerm_private_dns_resolver":
            guard let id = id(instance) else { return true }
            var resolver = DnsResolver(id: id, location: location(v))
            resolver.tags = tags(v)
            resolver.virtualNetwork = rid(v, "virtual_network_id")
            insert(resolver)
        case "azurerm_private_dns_resolver_dns_forwarding_ruleset":
            guard let id = id(instance) else { return true }
            var ruleset = DnsForwardingRuleset(id: id, location: location(v))
            ruleset.tags = tags(v)
            ruleset.outboundEndpoints = rids(v, "private_dns_resolver_outbound_endpoint_ids")
            insert(ruleset)
        case "azurerm_virtual_wan":
            guard let id = id(instance) else { return true }
            var wan = VirtualWAN(id: id, location: location(v))
            wan.tags = tags(v)
            wan.wanType = string(v, "type") ?? wan.wanType
            wan.allowBranchToBranchTraffic = bool(v, "allow_branch_to_branch_traffic") ?? true
            insert(wan)
        case "azurerm_virtual_hub":
            guard let id = id(instance) else { return true }
            var hub = VirtualHub(id: id, location: location(v))
            hub.tags = tags(v)
            hub.virtualWAN = rid(v, "virtual_wan_id")
            hub.addressPrefix = prefixes(strings(v, "address_prefix"), "address_prefix").first
            if !blocks(v, "route").isEmpty {
                warn("its route blocks (the hub's legacy route table) are not read; declare hub routes with azurerm_virtual_hub_route_table")
            }
            insert(hub)
        case "azurerm_network_manager":
            guard let id = id(instance) else { return true }
            var manager = NetworkManager(id: id, location: location(v))
            manager.tags = tags(v)
            manager.scopeAccesses = strings(v, "scope_accesses")
            insert(manager)
        default:
            return false
        }
        return true
    }

    /// An address written in the configuration; an address Azure assigns is nil without a warning.
    func knownAddress(_ value: HCLValue) -> IPv4Address? {
        value.stringValue.flatMap { IPv4Address($0) }
    }

    /// Merges every platform child into its parent, parents first.
    mutating func mapPlatformChildren() {
        let managed = instances.filter { $0.mode == .managed }
        for type in Self.platformChildren {
            for instance in managed where instance.type == type {
                current = instance
                mapPlatformChild(instance)
            }
        }
        current = nil
        linkHubFirewalls()
        applyNetworkManagerCommits()
    }

    /// The parent a child resource names by `key`, as the model type `T`; when it is not in the configuration (an
    /// existing hub named by a data source), the child is kept as an opaque resource, as the ARM importer keeps it.
    mutating func parent<T: AzureResource>(_ v: HCLValue, _ key: String, as type: T.Type, _ what: String) -> T? {
        guard let id = rid(v, key), let resource = graph.resource(id, as: T.self) else {
            orphan(what)
            return nil
        }
        return resource
    }

    /// A child whose parent is not in the configuration: warned about and kept as an opaque resource of its ARM type.
    /// Associations are not resources of their own and are only warned about.
    mutating func orphan(_ what: String) {
        evaluator.warn("terraform.unresolved", "\(current?.address ?? "resource"): its \(what) is not in the configuration, so its settings are not read",
                       fix: "read it together with the configuration that declares the \(what), or check the \(what)'s ID", at: current?.position)
        guard let instance = current, !instance.type.hasSuffix("_association"), let id = idByAddress[instance.address],
              let type = id.resourceType, graph[id] == nil else { return }
        var opaque = OpaqueResource(id: id, type: type)
        opaque.location = location(instance.value)
        insert(opaque)
    }

    mutating func mapPlatformChild(_ instance: ResourceInstance) {
        let v = instance.value
        switch instance.type {
        // MARK: Load balancers (https://learn.microsoft.com/azure/load-balancer/components)
        case "azurerm_lb_backend_address_pool":
            guard var lb = parent(v, "loadbalancer_id", as: LoadBalancer.self, "load balancer"), let name = string(v, "name") else { return }
            if !lb.backendPools.contains(where: { $0.name.lowercased() == name.lowercased() }) {
                lb.backendPools.append(LoadBalancerBackendPool(name: name))
            }
            graph.insert(lb)
        case "azurerm_lb_backend_address_pool_address":
            guard let poolID = rid(v, "backend_address_pool_id"), let lbID = poolID.parent,
                  var lb = graph.resource(lbID, as: LoadBalancer.self),
                  let index = lb.backendPools.firstIndex(where: { $0.name.lowercased() == poolID.name.lowercased() }) else {
                return orphan("backend address pool")
            }
            guard let ip = v["ip_address"].flatMap(knownAddress) else {
                // Cross-region load balancers name a regional frontend instead of an address.
                return warn("only backend addresses given by ip_address are read")
            }
            lb.backendPools[index].addresses.append(ip)
            graph.insert(lb)
        case "azurerm_lb_probe":
            guard var lb = parent(v, "loadbalancer_id", as: LoadBalancer.self, "load balancer"), let name = string(v, "name") else { return }
            lb.probes.append(LoadBalancerProbe(name: name, protocol: string(v, "protocol") ?? "Tcp", port: int(v, "port") ?? 0))
            graph.insert(lb)
        case "azurerm_lb_rule":
            guard var lb = parent(v, "loadbalancer_id", as: LoadBalancer.self, "load balancer"), let name = string(v, "name"),
                  let frontend = string(v, "frontend_ip_configuration_name") else { return }
            let pools = rids(v, "backend_address_pool_ids")
            if pools.count > 1 { warn("only the first of its backend_address_pool_ids is read") }
            var rule = LoadBalancingRule(name: name, frontend: frontend, backendPool: pools.first?.name, protocol: string(v, "protocol") ?? "Tcp",
                                         frontendPort: int(v, "frontend_port") ?? 0, backendPort: int(v, "backend_port") ?? 0)
            rule.probe = rid(v, "probe_id")?.name
            // 4.x enable_floating_ip, renamed floating_ip_enabled.
            rule.enableFloatingIP = bool(v, "floating_ip_enabled") ?? bool(v, "enable_floating_ip") ?? false
            lb.rules.append(rule)
            graph.insert(lb)
        case "azurerm_lb_nat_rule":
            guard var lb = parent(v, "loadbalancer_id", as: LoadBalancer.self, "load balancer"), let name = string(v, "name"),
                  let frontend = string(v, "frontend_ip_configuration_name") else { return }
            guard let port = int(v, "frontend_port") else {
                // The port-range form (frontend_port_start/end with a backend pool) maps a range onto a pool.
                return warn("inbound NAT rules over a port range and backend pool are not read (only single-port rules are)")
            }
            lb.inboundNatRules.append(InboundNatRule(name: name, frontend: frontend, protocol: string(v, "protocol") ?? "Tcp",
                                                     frontendPort: port, backendPort: int(v, "backend_port") ?? port))
            graph.insert(lb)
        case "azurerm_network_interface_backend_address_pool_association", "azurerm_network_interface_nat_rule_association":
            let isPool = instance.type.hasSuffix("pool_association")
            guard var nic = parent(v, "network_interface_id", as: NetworkInterface.self, "network interface"),
                  let configuration = string(v, "ip_configuration_name"),
                  let target = rid(v, isPool ? "backend_address_pool_id" : "nat_rule_id") else { return }
            guard let index = nic.ipConfigurations.firstIndex(where: { $0.name.lowercased() == configuration.lowercased() }) else {
                return warn("the network interface has no IP configuration named '\(configuration)'")
            }
            if isPool {
                nic.ipConfigurations[index].loadBalancerBackendAddressPools = (nic.ipConfigurations[index].loadBalancerBackendAddressPools ?? []) + [target]
            } else {
                nic.ipConfigurations[index].loadBalancerInboundNatRules = (nic.ipConfigurations[index].loadBalancerInboundNatRules ?? []) + [target]
            }
            graph.insert(nic)

        // MARK: DNS Private Resolver (https://learn.microsoft.com/azure/dns/private-resolver-endpoints-rulesets)
        case "azurerm_private_dns_resolver_inbound_endpoint":
            guard var resolver = parent(v, "private_dns_resolver_id", as: DnsResolver.self, "DNS private resolver"),
                  let name = string(v, "name") else { return }
            let configuration = block(v, "ip_configurations")
            // Defaults to Dynamic; the address is Azure's then, known only after apply.
            let method = configuration.flatMap { string($0, "private_ip_allocation_method") } ?? "Dynamic"
            let address = configuration?["private_ip_address"].flatMap(knownAddress)
            var endpoint = DnsResolverInboundEndpoint(name: name, subnet: configuration.flatMap { rid($0, "subnet_id") },
                                                      privateIPAddress: address)
            endpoint.privateIPAllocationMethod = method
            resolver.inboundEndpoints.append(endpoint)
            graph.insert(resolver)
        case "azurerm_private_dns_resolver_outbound_endpoint":
            guard var resolver = parent(v, "private_dns_resolver_id", as: DnsResolver.self, "DNS private resolver"),
                  let name = string(v, "name") else { return }
            resolver.outboundEndpoints.append(DnsResolverOutboundEndpoint(name: name, subnet: rid(v, "subnet_id")))
            graph.insert(resolver)
        case "azurerm_private_dns_resolver_forwarding_rule":
            guard var ruleset = parent(v, "dns_forwarding_ruleset_id", as: DnsForwardingRuleset.self, "forwarding ruleset"),
                  let name = string(v, "name") else { return }
            let targets = blocks(v, "target_dns_servers").compactMap { server -> DnsTargetServer? in
                guard let ip = server["ip_address"].flatMap(knownAddress) else {
                    warn("a target DNS server without a known ip_address is left out")
                    return nil
                }
                return DnsTargetServer(ipAddress: ip, port: int(server, "port") ?? 53)
            }
            var rule = DnsForwardingRule(name: name, domainName: string(v, "domain_name") ?? "", targetDnsServers: targets)
            rule.enabled = bool(v, "enabled") ?? true
            ruleset.rules.append(rule)
            graph.insert(ruleset)
        case "azurerm_private_dns_resolver_virtual_network_link":
            guard var ruleset = parent(v, "dns_forwarding_ruleset_id", as: DnsForwardingRuleset.self, "forwarding ruleset"),
                  let name = string(v, "name"), let vnet = rid(v, "virtual_network_id") else { return }
            ruleset.virtualNetworkLinks.append(DnsForwardingRulesetLink(name: name, virtualNetwork: vnet))
            graph.insert(ruleset)

        // MARK: Virtual WAN (https://learn.microsoft.com/azure/virtual-wan/about-virtual-hub-routing)
        case "azurerm_virtual_hub_route_table":
            guard var hub = parent(v, "virtual_hub_id", as: VirtualHub.self, "virtual hub"), let id = idByAddress[instance.address] else { return }
            var table = HubRouteTable(id: id, labels: strings(v, "labels"))
            table.routes = blocks(v, "route").compactMap(hubRoute)
            hub.routeTables.removeAll { $0.id == id }
            hub.routeTables.append(table)
            graph.insert(hub)
        case "azurerm_virtual_hub_route_table_route":
            guard let tableID = rid(v, "route_table_id"), let hubID = tableID.parent, var hub = graph.resource(hubID, as: VirtualHub.self) else {
                return orphan("hub route table")
            }
            guard let route = hubRoute(v) else { return }
            if let index = hub.routeTables.firstIndex(where: { $0.id == tableID }) {
                hub.routeTables[index].routes.append(route)
            } else {
                // A route in the hub's defaultRouteTable, which exists without being declared.
                var table = HubRouteTable(id: tableID, labels: [])
                table.routes = [route]
                hub.routeTables.append(table)
            }
            graph.insert(hub)
        case "azurerm_virtual_hub_connection":
            guard var hub = parent(v, "virtual_hub_id", as: VirtualHub.self, "virtual hub"), let name = string(v, "name") else { return }
            guard let remote = rid(v, "remote_virtual_network_id") else { return warn("remote_virtual_network_id is not known; the connection is not read") }
            var connection = HubVirtualNetworkConnection(name: name, remoteVirtualNetwork: remote)
            // Defaults to false, as in the REST API.
            connection.enableInternetSecurity = bool(v, "internet_security_enabled") ?? false
            if let routing = block(v, "routing") {
                connection.associatedRouteTable = rid(routing, "associated_route_table_id")
                if let propagated = block(routing, "propagated_route_table") {
                    if propagated["route_table_ids"] != nil, propagated["route_table_ids"] != .null {
                        connection.propagatedRouteTables = rids(propagated, "route_table_ids")
                    }
                    if propagated["labels"] != nil, propagated["labels"] != .null { connection.propagatedLabels = strings(propagated, "labels") }
                }
                connection.staticRoutes = blocks(routing, "static_vnet_route").enumerated().map { index, route in
                    HubStaticRoute(name: string(route, "name") ?? "route\(index + 1)",
                                   addressPrefixes: prefixes(strings(route, "address_prefixes"), "static_vnet_route.address_prefixes"),
                                   nextHopIPAddress: route["next_hop_ip_address"].flatMap { address($0) })
                }
            }
            hub.virtualNetworkConnections.removeAll { $0.name.lowercased() == name.lowercased() }
            hub.virtualNetworkConnections.append(connection)
            graph.insert(hub)
        case "azurerm_virtual_hub_routing_intent":
            guard var hub = parent(v, "virtual_hub_id", as: VirtualHub.self, "virtual hub"), let name = string(v, "name") else { return }
            hub.routingIntent = RoutingIntent(name: name, policies: blocks(v, "routing_policy").enumerated().compactMap { index, policy in
                guard let next = rid(policy, "next_hop") else { return nil }
                let destinations = strings(policy, "destinations").compactMap { text -> RoutingIntent.Policy.Destination? in
                    guard let parsed = RoutingIntent.Policy.Destination.allCases.first(where: { $0.rawValue.lowercased() == text.lowercased() }) else {
                        warn("routing policy destination '\(text)' is not Internet or PrivateTraffic; it is left out")
                        return nil
                    }
                    return parsed
                }
                return .init(name: string(policy, "name") ?? "policy\(index + 1)", destinations: destinations, nextHop: next)
            })
            graph.insert(hub)

        // MARK: Azure Virtual Network Manager (https://learn.microsoft.com/azure/virtual-network-manager/concept-security-admins)
        case "azurerm_network_manager_network_group":
            guard var manager = parent(v, "network_manager_id", as: NetworkManager.self, "network manager"),
                  let id = idByAddress[instance.address] else { return }
            var group = NetworkGroup(id: id)
            group.memberType = string(v, "member_type") ?? group.memberType
            manager.networkGroups.removeAll { $0.id == id }
            manager.networkGroups.append(group)
            graph.insert(manager)
        case "azurerm_network_manager_static_member":
            guard let groupID = rid(v, "network_group_id"), let managerID = groupID.parent,
                  var manager = graph.resource(managerID, as: NetworkManager.self),
                  let index = manager.networkGroups.firstIndex(where: { $0.id == groupID }) else {
                return orphan("network group")
            }
            if let member = rid(v, "target_virtual_network_id") { manager.networkGroups[index].staticMembers.append(member) }
            graph.insert(manager)
        case "azurerm_network_manager_security_admin_configuration":
            guard var manager = parent(v, "network_manager_id", as: NetworkManager.self, "network manager"),
                  let id = idByAddress[instance.address] else { return }
            if !manager.securityAdminConfigurations.contains(where: { $0.id == id }) {
                manager.securityAdminConfigurations.append(SecurityAdminConfiguration(id: id))
            }
            graph.insert(manager)
        case "azurerm_network_manager_admin_rule_collection":
            guard let id = idByAddress[instance.address], let configID = rid(v, "security_admin_configuration_id"),
                  let managerID = configID.parent, var manager = graph.resource(managerID, as: NetworkManager.self),
                  let c = manager.securityAdminConfigurations.firstIndex(where: { $0.id == configID }) else {
                return orphan("security admin configuration")
            }
            var collection = AdminRuleCollection(id: id)
            collection.appliesToGroups = rids(v, "network_group_ids")
            manager.securityAdminConfigurations[c].ruleCollections.removeAll { $0.id == id }
            manager.securityAdminConfigurations[c].ruleCollections.append(collection)
            graph.insert(manager)
        case "azurerm_network_manager_admin_rule":
            guard let collectionID = rid(v, "admin_rule_collection_id"), let configID = collectionID.parent, let managerID = configID.parent,
                  var manager = graph.resource(managerID, as: NetworkManager.self),
                  let c = manager.securityAdminConfigurations.firstIndex(where: { $0.id == configID }),
                  let r = manager.securityAdminConfigurations[c].ruleCollections.firstIndex(where: { $0.id == collectionID }) else {
                return orphan("admin rule collection")
            }
            guard let rule = adminRule(v) else { return }
            manager.securityAdminConfigurations[c].ruleCollections[r].rules.append(rule)
            graph.insert(manager)
        case "azurerm_network_manager_connectivity_configuration":
            guard var manager = parent(v, "network_manager_id", as: NetworkManager.self, "network manager"),
                  let id = idByAddress[instance.address] else { return }
            var configuration = ConnectivityConfiguration(id: id)
            let topology = string(v, "connectivity_topology") ?? "HubAndSpoke"
            configuration.topology = ConnectivityConfiguration.Topology.allCases.first { $0.rawValue.lowercased() == topology.lowercased() } ?? .hubAndSpoke
            configuration.hubs = blocks(v, "hub").compactMap { rid($0, "resource_id") }
            configuration.isGlobal = bool(v, "global_mesh_enabled") ?? false
            configuration.groups = blocks(v, "applies_to_group").compactMap { item in
                guard let group = rid(item, "network_group_id") else { return nil }
                return .init(networkGroup: group,
                             directlyConnected: string(item, "group_connectivity")?.lowercased() == "directlyconnected",
                             useHubGateway: bool(item, "use_hub_gateway") ?? false,
                             isGlobal: bool(item, "global_mesh_enabled") ?? false)
            }
            manager.connectivityConfigurations.removeAll { $0.id == id }
            manager.connectivityConfigurations.append(configuration)
            graph.insert(manager)
        case "azurerm_network_manager_deployment":
            // Read by applyNetworkManagerCommits.
            break
        default:
            break
        }
    }

    /// A hub route from a `route` block or an `azurerm_virtual_hub_route_table_route`; only CIDR destinations are read.
    func hubRoute(_ v: HCLValue) -> HubRoute? {
        let name = string(v, "name") ?? "route"
        let type = string(v, "destinations_type") ?? "CIDR"
        guard type.lowercased() == "cidr" else {
            warn("hub route '\(name)' with destinations_type \(type) is not read (only CIDR routes are)")
            return nil
        }
        guard let next = rid(v, "next_hop") else { return nil }
        return HubRoute(name: name, destinations: prefixes(strings(v, "destinations"), "destinations"), nextHop: next)
    }

    /// A security admin rule (https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/network_manager_admin_rule).
    func adminRule(_ v: HCLValue) -> AdminRule? {
        guard let name = string(v, "name") else { return nil }
        guard let actionText = string(v, "action"), let action = AdminRule.Action.allCases.first(where: { $0.rawValue.lowercased() == actionText.lowercased() }),
              let directionText = string(v, "direction"),
              let direction = [SecurityRule.Direction.inbound, .outbound].first(where: { $0.rawValue.lowercased() == directionText.lowercased() }) else {
            warn("security admin rule '\(name)' needs a known action and direction; it is left out")
            return nil
        }
        let protocolText = string(v, "protocol") ?? "Any"
        let proto: NetworkProtocol = protocolText.lowercased() == "any" ? .any
            : NetworkProtocol.allCases.first { $0.rawValue.lowercased() == protocolText.lowercased() } ?? {
                warn("protocol '\(protocolText)' is not known; the rule matches nothing")
                return .esp
            }()
        func addresses(_ key: String) -> [AdminRule.Address] {
            blocks(v, key).compactMap { item in
                guard let prefix = string(item, "address_prefix") else { return nil }
                let address = AdminRule.Address.parse(prefix, type: string(item, "address_prefix_type"))
                if case .unresolved = address { warn("\(key) '\(prefix)' is not an IPv4 prefix; it matches nothing") }
                return address
            }
        }
        func ports(_ key: String) -> PortMatch {
            let texts = strings(v, key)
            if texts.isEmpty { return .any }
            guard let match = PortMatch.parse(texts) else {
                warn("\(key) \(texts) are not ports; read as any port")
                return .any
            }
            return match
        }
        return AdminRule(name: name, priority: int(v, "priority") ?? 4096, action: action, direction: direction, protocol: proto,
                         sources: addresses("source"), destinations: addresses("destination"),
                         sourcePorts: ports("source_port_ranges"), destinationPorts: ports("destination_port_ranges"))
    }

    /// A secured hub's firewall names its hub in `virtual_hub`; the hub gets it as its `azureFirewall`. The hub address
    /// (`virtual_hub[0].private_ip_address`) is Azure's, known only after apply (read from a plan or state).
    mutating func linkHubFirewalls() {
        for instance in instances where instance.mode == .managed && instance.type == "azurerm_firewall" {
            guard let hubBlock = block(instance.value, "virtual_hub"), let id = idByAddress[instance.address],
                  var firewall = graph.resource(id, as: AzureFirewall.self) else { continue }
            current = instance
            firewall.virtualHub = rid(hubBlock, "virtual_hub_id")
            firewall.hubPrivateIPAddress = hubBlock["private_ip_address"].flatMap(knownAddress)
            firewall.hubPublicIPAddresses = (hubBlock["public_ip_addresses"]?.listValue ?? []).compactMap(knownAddress)
            graph.insert(firewall)
            if firewall.hubPrivateIPAddress == nil {
                evaluator.assume("\(instance.address): the firewall's address in its virtual hub is assigned by Azure and only known after apply, so traffic through it is not modelled; read a plan or state (terraform show -json) to include it")
            }
            if let hubID = firewall.virtualHub, var hub = graph.resource(hubID, as: VirtualHub.self) {
                hub.azureFirewall = firewall.id
                graph.insert(hub)
            }
        }
        current = nil
    }

    /// Only committed configurations are in force: a security admin or connectivity configuration that no
    /// `azurerm_network_manager_deployment` lists is left out
    /// (https://learn.microsoft.com/azure/virtual-network-manager/concept-deployments,
    /// https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/network_manager_deployment).
    /// A commit is per region; configurations are applied to every VNet they target, whatever its region, as for ARM.
    mutating func applyNetworkManagerCommits() {
        // Configuration → the regions it is committed to (lower-case, without spaces, as model locations are).
        var regions: [ResourceID: Set<String>] = [:]
        for instance in instances where instance.mode == .managed && instance.type == "azurerm_network_manager_deployment" {
            current = instance
            let region = location(instance.value) ?? ""
            for id in rids(instance.value, "configuration_ids") { regions[id, default: []].insert(region) }
        }
        current = nil
        for var manager in graph.all(NetworkManager.self) {
            let dropped = manager.securityAdminConfigurations.map(\.id).filter { regions[$0] == nil }
                + manager.connectivityConfigurations.map(\.id).filter { regions[$0] == nil }
            manager.securityAdminConfigurations.removeAll { regions[$0.id] == nil }
            manager.connectivityConfigurations.removeAll { regions[$0.id] == nil }
            if !dropped.isEmpty { graph.insert(manager) }
            for id in dropped.sorted() {
                evaluator.assume("network manager \(manager.name): configuration \(id.name) is not committed by any azurerm_network_manager_deployment, so it is not in force and is not read")
            }
            // A commit applies a configuration to the VNets of the regions it names; the model applies it everywhere.
            let targeted: [(ResourceID, [ResourceID])] = manager.securityAdminConfigurations.map { ($0.id, $0.ruleCollections.flatMap(\.appliesToGroups)) }
                + manager.connectivityConfigurations.map { ($0.id, $0.groups.map(\.networkGroup)) }
            for (configuration, groups) in targeted.sorted(by: { $0.0 < $1.0 }) {
                let committedTo = regions[configuration] ?? []
                let members = groups.compactMap { manager.networkGroup($0) }.flatMap(\.staticMembers)
                let elsewhere = Set(members.compactMap { member -> String? in
                    guard let region = graph.resource(member, as: VirtualNetwork.self)?.location, !committedTo.contains(region) else { return nil }
                    return member.name
                }).sorted()
                guard !elsewhere.isEmpty else { continue }
                evaluator.assume("network manager \(manager.name): configuration \(configuration.name) is committed to \(committedTo.sorted().joined(separator: ", ")) only, but is applied to \(elsewhere.joined(separator: ", ")) in another region as well (commits per region are not modelled)")
            }
        }
    }
}

/// Where the platform types' arguments were written, as ARM property paths. Top-level types record against their own
/// ID; a child type that is its own ARM resource (a hub connection, an admin rule) records against its own ID with
/// that resource's paths, as the ARM importer's paths are; load balancer children, inline arrays in ARM, record against
/// the load balancer (`properties.loadBalancingRules[i]…`).
extension AzurermMapper {
    static let platformPropertyPaths: [String: [(String, String)]] = [
        "azurerm_lb": [("sku", "sku.name")],
        "azurerm_local_network_gateway": [
            ("gateway_address", "properties.gatewayIpAddress"), ("gateway_fqdn", "properties.fqdn"),
            ("address_space", "properties.localNetworkAddressSpace.addressPrefixes"), ("bgp_settings[0]", "properties.bgpSettings"),
            ("bgp_settings[0].asn", "properties.bgpSettings.asn"), ("bgp_settings[0].bgp_peering_address", "properties.bgpSettings.bgpPeeringAddress"),
        ],
        "azurerm_virtual_network_gateway_connection": [
            ("type", "properties.connectionType"), ("virtual_network_gateway_id", "properties.virtualNetworkGateway1"),
            ("local_network_gateway_id", "properties.localNetworkGateway2"), ("peer_virtual_network_gateway_id", "properties.virtualNetworkGateway2"),
            ("express_route_circuit_id", "properties.peer"), ("enable_bgp", "properties.enableBgp"), ("bgp_enabled", "properties.enableBgp"),
            ("shared_key", "properties.sharedKey"),
        ],
        "azurerm_virtual_network_gateway": [
            ("default_local_network_gateway_id", "properties.gatewayDefaultSite"), ("enable_bgp", "properties.enableBgp"),
            ("bgp_enabled", "properties.enableBgp"),
        ],
        "azurerm_private_dns_resolver": [("virtual_network_id", "properties.virtualNetwork")],
        "azurerm_private_dns_resolver_dns_forwarding_ruleset": [("private_dns_resolver_outbound_endpoint_ids", "properties.dnsResolverOutboundEndpoints")],
        "azurerm_private_dns_resolver_inbound_endpoint": [
            ("ip_configurations[0]", "properties.ipConfigurations[0]"), ("ip_configurations[0].subnet_id", "properties.ipConfigurations[0].subnet"),
            ("ip_configurations[0].private_ip_address", "properties.ipConfigurations[0].privateIpAddress"),
            ("ip_configurations[0].private_ip_allocation_method", "properties.ipConfigurations[0].privateIpAllocationMethod"),
        ],
        "azurerm_private_dns_resolver_outbound_endpoint": [("subnet_id", "properties.subnet")],
        "azurerm_private_dns_resolver_forwarding_rule": [
            ("domain_name", "properties.domainName"), ("enabled", "properties.forwardingRuleState"), ("target_dns_servers", "properties.targetDnsServers"),
        ],
        "azurerm_private_dns_resolver_virtual_network_link": [("virtual_network_id", "properties.virtualNetwork")],
        "azurerm_virtual_wan": [("type", "properties.type"), ("allow_branch_to_branch_traffic", "properties.allowBranchToBranchTraffic")],
        "azurerm_virtual_hub": [("virtual_wan_id", "properties.virtualWan"), ("address_prefix", "properties.addressPrefix")],
        "azurerm_virtual_hub_connection": [
            ("remote_virtual_network_id", "properties.remoteVirtualNetwork"), ("internet_security_enabled", "properties.enableInternetSecurity"),
            ("routing[0]", "properties.routingConfiguration"),
            ("routing[0].associated_route_table_id", "properties.routingConfiguration.associatedRouteTable"),
            ("routing[0].propagated_route_table[0]", "properties.routingConfiguration.propagatedRouteTables"),
            ("routing[0].propagated_route_table[0].labels", "properties.routingConfiguration.propagatedRouteTables.labels"),
            ("routing[0].propagated_route_table[0].route_table_ids", "properties.routingConfiguration.propagatedRouteTables.ids"),
        ],
        "azurerm_virtual_hub_route_table": [("labels", "properties.labels")],
        "azurerm_virtual_hub_route_table_route": [("destinations", "destinations"), ("next_hop", "nextHop")],
        "azurerm_firewall": [("virtual_hub[0]", "properties.virtualHub"), ("virtual_hub[0].virtual_hub_id", "properties.virtualHub")],
        "azurerm_network_manager": [("scope_accesses", "properties.networkManagerScopeAccesses"), ("scope[0]", "properties.networkManagerScopes")],
        "azurerm_network_manager_network_group": [("member_type", "properties.memberType")],
        "azurerm_network_manager_static_member": [("target_virtual_network_id", "properties.resourceId")],
        "azurerm_network_manager_admin_rule_collection": [("network_group_ids", "properties.appliesToGroups")],
        "azurerm_network_manager_admin_rule": [
            ("action", "properties.access"), ("direction", "properties.direction"), ("priority", "properties.priority"),
            ("protocol", "properties.protocol"), ("source_port_ranges", "properties.sourcePortRanges"),
            ("destination_port_ranges", "properties.destinationPortRanges"),
        ],
        "azurerm_network_manager_connectivity_configuration": [
            ("connectivity_topology", "properties.connectivityTopology"), ("global_mesh_enabled", "properties.isGlobal"),
            ("hub[0]", "properties.hubs[0]"), ("hub[0].resource_id", "properties.hubs[0].resourceId"),
        ],
    ]

    /// Nested blocks that are ARM arrays: azurerm type → (block, ARM array, members).
    static let platformBlockPaths: [String: [(String, String, [(String, String)])]] = [
        "azurerm_lb": [("frontend_ip_configuration", "properties.frontendIPConfigurations", [
            ("subnet_id", "properties.subnet"), ("private_ip_address", "properties.privateIPAddress"),
            ("public_ip_address_id", "properties.publicIPAddress"),
        ])],
        "azurerm_private_dns_resolver_forwarding_rule": [("target_dns_servers", "properties.targetDnsServers", [("ip_address", "ipAddress"), ("port", "port")])],
        "azurerm_virtual_hub_connection": [("routing[0].static_vnet_route", "properties.routingConfiguration.vnetRoutes.staticRoutes", [
            ("address_prefixes", "addressPrefixes"), ("next_hop_ip_address", "nextHopIpAddress"),
        ])],
        "azurerm_virtual_hub_route_table": [("route", "properties.routes", [("destinations", "destinations"), ("next_hop", "nextHop")])],
        "azurerm_virtual_hub_routing_intent": [("routing_policy", "properties.routingPolicies", [("destinations", "destinations"), ("next_hop", "nextHop")])],
        "azurerm_network_manager_admin_rule": [
            ("source", "properties.sources", [("address_prefix", "addressPrefix"), ("address_prefix_type", "addressPrefixType")]),
            ("destination", "properties.destinations", [("address_prefix", "addressPrefix"), ("address_prefix_type", "addressPrefixType")]),
        ],
        "azurerm_network_manager_connectivity_configuration": [("applies_to_group", "properties.appliesToGroups", [
            ("network_group_id", "networkGroupId"), ("group_connectivity", "groupConnectivity"), ("use_hub_gateway", "useHubGateway"),
            ("global_mesh_enabled", "isGlobal"),
        ])],
    ]

    /// Load balancer children: azurerm type → (ARM array of the load balancer, members).
    static let loadBalancerChildPaths: [String: (String, [(String, String)])] = [
        "azurerm_lb_backend_address_pool": ("properties.backendAddressPools", []),
        "azurerm_lb_probe": ("properties.probes", [("port", "properties.port"), ("protocol", "properties.protocol")]),
        "azurerm_lb_rule": ("properties.loadBalancingRules", [
            ("frontend_ip_configuration_name", "properties.frontendIPConfiguration"), ("backend_address_pool_ids", "properties.backendAddressPools"),
            ("protocol", "properties.protocol"), ("frontend_port", "properties.frontendPort"), ("backend_port", "properties.backendPort"),
            ("probe_id", "properties.probe"), ("floating_ip_enabled", "properties.enableFloatingIP"), ("enable_floating_ip", "properties.enableFloatingIP"),
        ]),
        "azurerm_lb_nat_rule": ("properties.inboundNatRules", [
            ("frontend_ip_configuration_name", "properties.frontendIPConfiguration"), ("protocol", "properties.protocol"),
            ("frontend_port", "properties.frontendPort"), ("backend_port", "properties.backendPort"),
        ]),
    ]

    /// Records where the platform types' arguments were written.
    mutating func recordPlatformSources() {
        for instance in instances where instance.mode == .managed && !instance.positions.isEmpty {
            guard let id = idByAddress[instance.address] else { continue }
            let isChild = Self.platformChildren.contains(instance.type)
            // Top-level types must be in the graph; children are recorded under their own ARM ID.
            guard isChild || graph[id] != nil else { continue }
            if let child = Self.loadBalancerChildPaths[instance.type] {
                recordLoadBalancerChild(instance, array: child.0, members: child.1)
                continue
            }
            if instance.type.hasPrefix("azurerm_network_interface_") {
                recordInterfaceMembership(instance)
                continue
            }
            if isChild { graph.recordSource(source(instance), of: id, property: "properties") }
            for (path, property) in Self.platformPropertyPaths[instance.type] ?? [] {
                if let location = location(of: instance, path) { graph.recordSource(location, of: id, property: property) }
            }
            for (blockPath, array, members) in Self.platformBlockPaths[instance.type] ?? [] {
                var index = 0
                while let location = location(of: instance, "\(blockPath)[\(index)]") {
                    graph.recordSource(location, of: id, property: "\(array)[\(index)]")
                    for (argument, property) in members {
                        if let at = self.location(of: instance, "\(blockPath)[\(index)].\(argument)") {
                            graph.recordSource(at, of: id, property: "\(array)[\(index)].\(property)")
                        }
                    }
                    index += 1
                }
            }
        }
    }

    /// A NIC's pool or NAT rule membership, as the interface's `loadBalancerBackendAddressPools` or
    /// `loadBalancerInboundNatRules` of the IP configuration it names.
    mutating func recordInterfaceMembership(_ instance: ResourceInstance) {
        guard let nicID = rid(instance.value, "network_interface_id"), let nic = graph.resource(nicID, as: NetworkInterface.self),
              let name = instance.value["ip_configuration_name"]?.stringValue,
              let index = nic.ipConfigurations.firstIndex(where: { $0.name.lowercased() == name.lowercased() }) else { return }
        let property = instance.type.hasSuffix("pool_association") ? "loadBalancerBackendAddressPools" : "loadBalancerInboundNatRules"
        graph.recordSource(source(instance), of: nicID, property: "properties.ipConfigurations[\(index)].properties.\(property)")
    }

    /// A load balancer child (rule, probe, pool, NAT rule) as the element of the load balancer's ARM array.
    mutating func recordLoadBalancerChild(_ instance: ResourceInstance, array: String, members: [(String, String)]) {
        guard let lbID = rid(instance.value, "loadbalancer_id"), let lb = graph.resource(lbID, as: LoadBalancer.self),
              let name = instance.value["name"]?.stringValue else { return }
        let names: [String]
        switch instance.type {
        case "azurerm_lb_backend_address_pool": names = lb.backendPools.map(\.name)
        case "azurerm_lb_probe": names = lb.probes.map(\.name)
        case "azurerm_lb_rule": names = lb.rules.map(\.name)
        default: names = lb.inboundNatRules.map(\.name)
        }
        guard let index = names.firstIndex(where: { $0.lowercased() == name.lowercased() }) else { return }
        let element = "\(array)[\(index)]"
        graph.recordSource(source(instance), of: lbID, property: element)
        for (argument, property) in members {
            if let location = location(of: instance, argument) { graph.recordSource(location, of: lbID, property: "\(element).\(property)") }
        }
    }
}
