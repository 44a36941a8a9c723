import PalisadeModel

extension TerraformRenderer {
    /// Resource group, VNet, subnets with their associations, route tables and the service endpoint policy.
    func networkBlocks() -> [HCLBlock] {
        var blocks: [HCLBlock] = []
        var group = HCLBlock("resource", "azurerm_resource_group", "main")
        if let resourceGroup = context.resourceGroup {
            group.attr("name", name(resourceGroup.id))
            group.attr("location", .expr("var.location"))
            blocks.append(withTags(group, resourceGroup.tags))
        } else {
            group.comment("The graph names this group in its resource IDs but does not describe it.")
            group.attr("name", name(ResourceID.resourceGroup(subscription: "-", name: context.resourceGroupName)))
            group.attr("location", .expr("var.location"))
            blocks.append(group)
        }
        for vnet in graph.all(VirtualNetwork.self) {
            var block = resourceBlock(vnet.id)
            block.attr("address_space", .list(vnet.addressSpace.map(prefix)))
            if !vnet.dnsServers.isEmpty { block.attr("dns_servers", .strings(vnet.dnsServers.map(\.description))) }
            blocks.append(withTags(block, vnet.tags))
        }
        for vnet in graph.all(VirtualNetwork.self) {
            blocks += peeringBlocks(vnet)
        }
        for subnet in graph.all(Subnet.self) {
            blocks.append(subnetBlock(subnet))
        }
        for subnet in graph.all(Subnet.self) {
            guard let entry = symbols.entry(subnet.id) else { continue }
            if let nsg = subnet.networkSecurityGroup, symbols.address(nsg) != nil {
                var block = HCLBlock("resource", "azurerm_subnet_network_security_group_association", entry.label)
                block.attr("subnet_id", ref(subnet.id))
                block.attr("network_security_group_id", ref(nsg))
                blocks.append(block)
            }
            if let table = subnet.routeTable, symbols.address(table) != nil {
                var block = HCLBlock("resource", "azurerm_subnet_route_table_association", entry.label)
                block.attr("subnet_id", ref(subnet.id))
                block.attr("route_table_id", ref(table))
                blocks.append(block)
            }
            if let gateway = subnet.natGateway, symbols.address(gateway) != nil {
                var block = HCLBlock("resource", "azurerm_subnet_nat_gateway_association", entry.label)
                block.attr("subnet_id", ref(subnet.id))
                block.attr("nat_gateway_id", ref(gateway))
                blocks.append(block)
            }
        }
        for table in graph.all(RouteTable.self) {
            var block = resourceBlock(table.id)
            block.attr("bgp_route_propagation_enabled", .bool(!table.disableBgpRoutePropagation))
            for route in table.routes {
                var routeBlock = HCLBlock("route")
                routeBlock.attr("name", .string(route.name))
                switch route.destination {
                case .prefix(let destination): routeBlock.attr("address_prefix", prefix(destination))
                case .serviceTag(let tag): routeBlock.attr("address_prefix", .string(tag))
                }
                routeBlock.attr("next_hop_type", .string(route.nextHopType.rawValue))
                if let hop = route.nextHopIPAddress { routeBlock.attr("next_hop_in_ip_address", nextHop(hop)) }
                block.block(routeBlock)
            }
            blocks.append(withTags(block, table.tags))
        }
        for policy in graph.all(ServiceEndpointPolicy.self) {
            var block = resourceBlock(policy.id)
            for definition in policy.definitions {
                if !definition.serviceResources.isEmpty {
                    var inner = HCLBlock("definition")
                    inner.attr("name", .string(definition.name))
                    inner.attr("service", .string(definition.service))
                    inner.attr("service_resources", .list(definition.serviceResources.map { serviceResource($0) }))
                    block.block(inner)
                }
                if !definition.serviceAliases.isEmpty {
                    // Aliases need their own definition with service "Global" (azurerm docs).
                    var inner = HCLBlock("definition")
                    inner.attr("name", .string("\(definition.name)-aliases"))
                    inner.attr("service", .string("Global"))
                    inner.attr("service_resources", .strings(definition.serviceAliases))
                    block.block(inner)
                }
            }
            blocks.append(withTags(block, policy.tags))
        }
        for gateway in graph.all(NatGateway.self) {
            var block = resourceBlock(gateway.id)
            block.attr("sku_name", .string("Standard"))
            blocks.append(withTags(block, gateway.tags))
            for (index, address) in gateway.publicIPAddresses.enumerated() {
                let label = (symbols.entry(gateway.id)?.label ?? "nat") + (index == 0 ? "" : "_\(index + 1)")
                var association = HCLBlock("resource", "azurerm_nat_gateway_public_ip_association", label)
                association.attr("nat_gateway_id", ref(gateway.id))
                association.attr("public_ip_address_id", ref(address))
                blocks.append(association)
            }
        }
        return blocks
    }

    private func serviceResource(_ text: String) -> HCLValue {
        let id = ResourceID(text)
        if symbols.address(id) != nil { return ref(id)! }
        return .string(text)
    }

    /// The firewall's private IP as a reference when the hop is the firewall the graph holds.
    func nextHop(_ address: IPv4Address) -> HCLValue {
        if let firewall = graph.all(AzureFirewall.self).first(where: { $0.privateIPAddress == address }),
           let entry = symbols.address(firewall.id) {
            return .expr("\(entry).ip_configuration[0].private_ip_address")
        }
        return .string(address.description)
    }

    private func subnetBlock(_ subnet: Subnet) -> HCLBlock {
        var block = resourceBlock(subnet.id, withLocation: false)
        block.attr("virtual_network_name", ref(subnet.virtualNetwork, "name"))
        block.attr("address_prefixes", .list(subnet.addressPrefixes.map(prefix)))
        if let outbound = subnet.defaultOutboundAccess { block.attr("default_outbound_access_enabled", .bool(outbound)) }
        block.attr("private_endpoint_network_policies", .string(subnet.privateEndpointNetworkPolicies.rawValue))
        block.attr("private_link_service_network_policies_enabled", .bool(subnet.privateLinkServiceNetworkPolicies.isEnabled))
        if !subnet.serviceEndpoints.isEmpty { block.attr("service_endpoints", .strings(subnet.serviceEndpoints.map(\.service))) }
        if !subnet.serviceEndpointPolicies.isEmpty {
            block.attr("service_endpoint_policy_ids", .list(subnet.serviceEndpointPolicies.compactMap { ref($0) }))
        }
        for service in subnet.delegations {
            var delegation = HCLBlock("delegation")
            delegation.attr("name", .string(TerraformSymbols.sanitize(service)))
            var inner = HCLBlock("service_delegation")
            inner.attr("name", .string(service))
            delegation.block(inner)
            block.block(delegation)
        }
        return block
    }

    /// This VNet's side of each peering (the remote side belongs to the remote VNet's owner), every flag written
    /// (https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/virtual_network_peering).
    func peeringBlocks(_ vnet: VirtualNetwork) -> [HCLBlock] {
        guard let entry = symbols.entry(vnet.id) else { return [] }
        return vnet.peerings.map { peering in
            var block = HCLBlock("resource", "azurerm_virtual_network_peering",
                                 TerraformSymbols.sanitize(entry.label == "main" ? peering.name : "\(entry.label)_\(peering.name)"))
            block.attr("name", .string(peering.name))
            block.attr("resource_group_name", .expr("azurerm_resource_group.main.name"))
            block.attr("virtual_network_name", ref(vnet.id, "name"))
            block.attr("remote_virtual_network_id", ref(peering.remoteVirtualNetwork))
            block.attr("allow_virtual_network_access", .bool(peering.allowVirtualNetworkAccess))
            block.attr("allow_forwarded_traffic", .bool(peering.allowForwardedTraffic))
            block.attr("allow_gateway_transit", .bool(peering.allowGatewayTransit))
            block.attr("use_remote_gateways", .bool(peering.useRemoteGateways))
            return block
        }
    }
}
