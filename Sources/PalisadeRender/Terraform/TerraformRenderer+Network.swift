import PalisadeModel

extension TerraformRenderer {
    /// The resource group every resource goes in: created, or read when it already exists (it holds an existing
    /// spoke VNet).
    var resourceGroupAddress: String { context.resourceGroupExists ? "data.azurerm_resource_group.main" : "azurerm_resource_group.main" }

    /// Where regional resources go: the group's location, or the `location` variable when the group already exists
    /// (an existing group's region need not be the environment's).
    var resourceGroupLocation: String { context.resourceGroupExists ? "var.location" : "azurerm_resource_group.main.location" }

    /// Resource group, VNet, subnets with their associations, route tables and the service endpoint policy.
    func networkBlocks() -> [HCLBlock] {
        var blocks: [HCLBlock] = []
        var group = HCLBlock("resource", "azurerm_resource_group", "main")
        if context.resourceGroupExists, let resourceGroup = context.resourceGroup {
            // The group holds the existing spoke VNet: read, never created (nor destroyed with the environment).
            var data = HCLBlock("data", "azurerm_resource_group", "main")
            data.attr("name", .string(resourceGroup.name))
            blocks.append(data)
        } else if let resourceGroup = context.resourceGroup {
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
        if let spoke = context.existingSpoke { blocks += peeringBlocks(spoke) }
        for subnet in graph.all(Subnet.self) {
            if context.reusedSubnets.contains(subnet.id) {
                blocks += reusedSubnetBlocks(subnet)
            } else {
                blocks.append(subnetBlock(subnet))
            }
        }
        for subnet in graph.all(Subnet.self) {
            guard let entry = symbols.entry(subnet.id) else { continue }
            // In an existing VNet every link waits for the azapi updates of its subnets: azurerm orders its own writes
            // to one VNet, azapi's are outside that order, and one VNet takes one subnet operation at a time.
            let updates = subnet.virtualNetwork == context.existingSpoke?.id ? spokeSubnetUpdates : []
            let after: HCLValue? = updates.isEmpty ? nil : .list(updates)
            if let nsg = subnet.networkSecurityGroup, symbols.address(nsg) != nil {
                var block = HCLBlock("resource", "azurerm_subnet_network_security_group_association", entry.label)
                block.attr("subnet_id", ref(subnet.id))
                block.attr("network_security_group_id", ref(nsg))
                block.attr("depends_on", after)
                blocks.append(block)
            }
            if let table = subnet.routeTable, symbols.address(table) != nil {
                var block = HCLBlock("resource", "azurerm_subnet_route_table_association", entry.label)
                block.attr("subnet_id", ref(subnet.id))
                block.attr("route_table_id", ref(table))
                block.attr("depends_on", after)
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

    /// An existing subnet the design reuses: read as a data source (never created or destroyed), the properties the
    /// workspace needs of it set with `azapi_update_resource`, which changes only the properties in its body and
    /// leaves the rest of the subnet as it is (and does nothing on destroy)
    /// (https://registry.terraform.io/providers/Azure/azapi/latest/docs/resources/update_resource). Its NSG and route
    /// table are linked by the association resources like any other subnet's
    /// (https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/subnet_network_security_group_association).
    private func reusedSubnetBlocks(_ subnet: Subnet) -> [HCLBlock] {
        guard let entry = symbols.entry(subnet.id) else { return [] }
        var data = HCLBlock("data", "azurerm_subnet", entry.label)
        data.comment("An existing subnet of the existing spoke VNet, reused: never created or destroyed here.")
        data.attr("name", .string(subnet.name))
        data.attr("virtual_network_name", .string(subnet.virtualNetwork.name))
        data.attr("resource_group_name", .expr("\(resourceGroupAddress).name"))
        guard let body = reusedSubnetUpdate(subnet) else { return [data] }
        var update = HCLBlock("resource", "azapi_update_resource", entry.label)
        update.attr("type", .string("Microsoft.Network/virtualNetworks/subnets@\(ARMRenderer.apiVersion(.virtualNetwork))"))
        update.attr("resource_id", ref(subnet.id))
        update.attr("body", .object([("properties", .object(body))]))
        // One VNet takes one subnet operation at a time (concurrent ones fail with AnotherOperationInProgress); azurerm
        // orders its own subnet writes, azapi does not know them: wait for the new subnets and the updates before.
        let siblings = graph.subnets(of: subnet.virtualNetwork).filter { $0.id < subnet.id }
        let before = siblings.compactMap { sibling -> HCLValue? in
            guard let label = symbols.entry(sibling.id)?.label else { return nil }
            if !context.reusedSubnets.contains(sibling.id) { return .expr("azurerm_subnet.\(label)") }
            return reusedSubnetUpdate(sibling) == nil ? nil : .expr("azapi_update_resource.\(label)")
        } + graph.subnets(of: subnet.virtualNetwork).filter { $0.id > subnet.id && !context.reusedSubnets.contains($0.id) }
            .compactMap { symbols.entry($0.id).map { HCLValue.expr("azurerm_subnet.\($0.label)") } }
        if !before.isEmpty { update.attr("depends_on", .list(before)) }
        return [data, update]
    }

    /// The azapi updates of the existing spoke VNet's reused subnets, in subnet order.
    var spokeSubnetUpdates: [HCLValue] {
        guard let spoke = context.existingSpoke else { return [] }
        return graph.subnets(of: spoke.id).filter { context.reusedSubnets.contains($0.id) && reusedSubnetUpdate($0) != nil }
            .compactMap { symbols.entry($0.id).map { HCLValue.expr("azapi_update_resource.\($0.label)") } }
    }

    /// What the workspace needs of a reused subnet beyond its NSG and route table: network policies (always stated)
    /// and the storage service endpoint with its policy (compute subnets); nil when there is nothing to state.
    func reusedSubnetUpdate(_ subnet: Subnet) -> [(String, HCLValue)]? {
        var body: [(String, HCLValue)] = [
            ("privateEndpointNetworkPolicies", .string(subnet.privateEndpointNetworkPolicies.rawValue)),
            ("privateLinkServiceNetworkPolicies", .string(subnet.privateLinkServiceNetworkPolicies.rawValue)),
        ]
        if !subnet.serviceEndpoints.isEmpty {
            body.append(("serviceEndpoints", .list(subnet.serviceEndpoints.map { endpoint in
                .object([("service", .string(endpoint.service))] + (endpoint.locations.isEmpty ? [] : [("locations", .strings(endpoint.locations))]))
            })))
        }
        if !subnet.serviceEndpointPolicies.isEmpty {
            body.append(("serviceEndpointPolicies", .list(subnet.serviceEndpointPolicies.compactMap { ref($0) }.map { .object([("id", $0)]) })))
        }
        return body
    }

    private func subnetBlock(_ subnet: Subnet) -> HCLBlock {
        var block = resourceBlock(subnet.id, withLocation: false)
        // A subnet of an existing VNet names it literally (the VNet is not part of this configuration).
        block.attr("virtual_network_name", symbols.address(subnet.virtualNetwork) == nil ? .string(subnet.virtualNetwork.name) : ref(subnet.virtualNetwork, "name"))
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
    /// An existing spoke VNet (not in this configuration) is named literally.
    func peeringBlocks(_ vnet: VirtualNetwork) -> [HCLBlock] {
        let existing = vnet.id == context.existingSpoke?.id
        guard let label = existing ? "main" : symbols.entry(vnet.id)?.label else { return [] }
        return vnet.peerings.map { peering in
            var block = HCLBlock("resource", "azurerm_virtual_network_peering",
                                 TerraformSymbols.sanitize(label == "main" ? peering.name : "\(label)_\(peering.name)"))
            block.attr("name", .string(peering.name))
            block.attr("resource_group_name", .expr("\(resourceGroupAddress).name"))
            block.attr("virtual_network_name", existing ? .string(vnet.name) : ref(vnet.id, "name"))
            block.attr("remote_virtual_network_id", ref(peering.remoteVirtualNetwork))
            block.attr("allow_virtual_network_access", .bool(peering.allowVirtualNetworkAccess))
            block.attr("allow_forwarded_traffic", .bool(peering.allowForwardedTraffic))
            block.attr("allow_gateway_transit", .bool(peering.allowGatewayTransit))
            block.attr("use_remote_gateways", .bool(peering.useRemoteGateways))
            // On an existing VNet the peering waits for the azapi subnet updates (one VNet operation at a time).
            let updates = existing ? spokeSubnetUpdates : []
            if !updates.isEmpty { block.attr("depends_on", .list(updates)) }
            return block
        }
    }
}
