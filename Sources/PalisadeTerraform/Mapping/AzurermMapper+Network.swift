import Foundation
import PalisadeModel

extension AzurermMapper {
    mutating func mapPrimary(_ instance: ResourceInstance) {
        let v = instance.value
        switch instance.type {
        case "azurerm_resource_group":
            guard let id = id(instance) else { return }
            insert(ResourceGroup(id: id, location: location(v)).with { $0.tags = tags(v) })
        case "azurerm_virtual_network":
            guard let id = id(instance) else { return }
            var vnet = VirtualNetwork(id: id, location: location(v))
            vnet.tags = tags(v)
            vnet.addressSpace = prefixes(strings(v, "address_space"), "address_space")
            vnet.dnsServers = strings(v, "dns_servers").compactMap { IPv4Address($0) }
            insert(vnet)
            // Inline subnets (https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/virtual_network#subnet).
            for inline in blocks(v, "subnet") {
                guard let name = string(inline, "name") else { continue }
                var subnet = Subnet(id: id.child("subnets", name))
                subnet.addressPrefixes = prefixes(strings(inline, "address_prefixes") + strings(inline, "address_prefix"), "subnet.address_prefixes")
                subnet.networkSecurityGroup = rid(inline, "security_group")
                insert(subnet)
            }
        case "azurerm_subnet":
            guard let id = id(instance) else { return }
            insert(subnet(id, v))
        case "azurerm_network_security_group":
            guard let id = id(instance) else { return }
            var nsg = NetworkSecurityGroup(id: id, location: location(v))
            nsg.tags = tags(v)
            nsg.securityRules = blocks(v, "security_rule").compactMap { securityRule($0) }
            insert(nsg)
        case "azurerm_application_security_group":
            guard let id = id(instance) else { return }
            insert(ApplicationSecurityGroup(id: id, location: location(v)).with { $0.tags = tags(v) })
        case "azurerm_route_table":
            guard let id = id(instance) else { return }
            var table = RouteTable(id: id, location: location(v))
            table.tags = tags(v)
            // 3.x: disable_bgp_route_propagation (default false); 4.x: bgp_route_propagation_enabled (default true).
            if let enabled = bool(v, "bgp_route_propagation_enabled") { table.disableBgpRoutePropagation = !enabled }
            if let disabled = bool(v, "disable_bgp_route_propagation") { table.disableBgpRoutePropagation = disabled }
            insert(table)
        case "azurerm_public_ip":
            guard let id = id(instance) else { return }
            var pip = PublicIPAddress(id: id, location: location(v))
            pip.tags = tags(v)
            // azurerm 4.x defaults sku to Standard; 3.x to Basic
            // (https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/guides/4.0-upgrade-guide).
            pip.sku = string(v, "sku") ?? (providerMajor >= 4 ? "Standard" : "Basic")
            pip.allocationMethod = string(v, "allocation_method") ?? "Static"
            pip.ipAddress = string(v, "ip_address").flatMap { IPv4Address($0) }
            insert(pip)
        case "azurerm_network_interface":
            guard let id = id(instance) else { return }
            var nic = NetworkInterface(id: id, location: location(v))
            nic.tags = tags(v)
            nic.enableIPForwarding = bool(v, "ip_forwarding_enabled") ?? bool(v, "enable_ip_forwarding") ?? false
            nic.ipConfigurations = blocks(v, "ip_configuration").enumerated().map { index, block in
                var configuration = ipConfiguration(block, index)
                configuration.privateIPAllocationMethod = string(block, "private_ip_address_allocation") ?? "Dynamic"
                if configuration.privateIPAllocationMethod != "Static" { configuration.privateIPAddress = nil }
                configuration.primary = bool(block, "primary") ?? (index == 0)
                return configuration
            }
            insert(nic)
        case "azurerm_linux_virtual_machine", "azurerm_windows_virtual_machine", "azurerm_virtual_machine":
            guard let id = id(instance) else { return }
            var vm = VirtualMachine(id: id, location: location(v))
            vm.tags = tags(v)
            vm.osType = instance.type.contains("linux") || block(v, "os_profile_linux_config") != nil ? "Linux" : "Windows"
            vm.size = string(v, "size") ?? string(v, "vm_size") ?? vm.size
            vm.networkInterfaces = rids(v, "network_interface_ids")
            if let user = v["admin_username"]?.stringValue ?? block(v, "os_profile")?["admin_username"]?.stringValue { vm.adminUsername = user }
            if let image = block(v, "source_image_reference") ?? block(v, "storage_image_reference") {
                let parts = ["publisher", "offer", "sku", "version"].map { image[$0]?.stringValue ?? "" }
                vm.image = parts.joined(separator: ":")
            }
            vm.adminPassword = secret(v["admin_password"] ?? block(v, "os_profile")?["admin_password"])
            vm.identity = identity(v)
            insert(vm)
        case "azurerm_bastion_host":
            guard let id = id(instance) else { return }
            var bastion = BastionHost(id: id, location: location(v))
            bastion.tags = tags(v)
            bastion.sku = string(v, "sku") ?? "Basic"
            bastion.enableTunneling = bool(v, "tunneling_enabled") ?? false
            bastion.ipConfigurations = blocks(v, "ip_configuration").enumerated().map { ipConfiguration($1, $0) }
            insert(bastion)
        case "azurerm_virtual_network_gateway":
            guard let id = id(instance) else { return }
            var gateway = VirtualNetworkGateway(id: id, location: location(v))
            gateway.tags = tags(v)
            gateway.gatewayType = string(v, "type") ?? "Vpn"
            gateway.vpnType = string(v, "vpn_type") ?? "RouteBased"
            gateway.sku = string(v, "sku") ?? gateway.sku
            gateway.enableBgp = bool(v, "bgp_enabled") ?? bool(v, "enable_bgp") ?? false
            // Forced tunnelling: the site that receives 0.0.0.0/0 (https://learn.microsoft.com/azure/vpn-gateway/about-site-to-site-tunneling).
            gateway.gatewayDefaultSite = rid(v, "default_local_network_gateway_id")
            gateway.ipConfigurations = blocks(v, "ip_configuration").enumerated().map { ipConfiguration($1, $0) }
            if let clients = block(v, "vpn_client_configuration") {
                var configuration = VpnClientConfiguration(addressPool: prefixes(strings(clients, "address_space"), "address_space"))
                let protocols = strings(clients, "vpn_client_protocols")
                if !protocols.isEmpty { configuration.protocols = protocols }
                let auth = strings(clients, "vpn_auth_types")
                if !auth.isEmpty { configuration.authenticationTypes = auth }
                configuration.rootCertificates = blocks(clients, "root_certificate").map { root in
                    VpnRootCertificate(name: root["name"]?.stringValue ?? "root", publicCertData: root["public_cert_data"]?.stringValue)
                }
                gateway.vpnClientConfiguration = configuration
            }
            insert(gateway)
        case "azurerm_nat_gateway":
            guard let id = id(instance) else { return }
            insert(NatGateway(id: id, location: location(v)).with { $0.tags = tags(v) })
        case "azurerm_firewall":
            guard let id = id(instance) else { return }
            var firewall = AzureFirewall(id: id, location: location(v))
            firewall.tags = tags(v)
            firewall.skuName = string(v, "sku_name") ?? firewall.skuName
            firewall.skuTier = string(v, "sku_tier") ?? firewall.skuTier
            firewall.ipConfigurations = blocks(v, "ip_configuration").enumerated().map { ipConfiguration($1, $0) }
            firewall.managementIPConfiguration = block(v, "management_ip_configuration").map { ipConfiguration($0, 0) }
            firewall.firewallPolicy = rid(v, "firewall_policy_id")
            if let mode = string(v, "threat_intel_mode"), let parsed = ThreatIntelMode(rawValue: mode) { firewall.threatIntelMode = parsed }
            firewall.dnsProxyEnabled = bool(v, "dns_proxy_enabled") ?? false
            let ranges = strings(v, "private_ip_ranges")
            if !ranges.isEmpty { firewall.privateRanges = ranges }
            insert(firewall)
        case "azurerm_firewall_policy":
            guard let id = id(instance) else { return }
            var policy = FirewallPolicy(id: id, location: location(v))
            policy.tags = tags(v)
            policy.skuTier = string(v, "sku") ?? "Standard"
            policy.basePolicy = rid(v, "base_policy_id")
            if let mode = string(v, "threat_intelligence_mode"), let parsed = ThreatIntelMode(rawValue: mode) { policy.threatIntelMode = parsed }
            if let dns = block(v, "dns") {
                policy.dnsProxyEnabled = bool(dns, "proxy_enabled") ?? false
                policy.dnsServers = strings(dns, "servers").compactMap { IPv4Address($0) }
            }
            let ranges = strings(v, "private_ip_ranges")
            if !ranges.isEmpty { policy.privateRanges = ranges }
            insert(policy)
        case "azurerm_ip_group":
            guard let id = id(instance) else { return }
            insert(IPGroup(id: id, location: location(v)).with {
                $0.tags = tags(v)
                $0.ipAddresses = strings(v, "cidrs")
            })
        case "azurerm_private_endpoint":
            guard let id = id(instance) else { return }
            var endpoint = PrivateEndpoint(id: id, location: location(v))
            endpoint.tags = tags(v)
            endpoint.subnet = rid(v, "subnet_id")
            endpoint.customNetworkInterfaceName = string(v, "custom_network_interface_name")
            if let connection = block(v, "private_service_connection") {
                endpoint.target = rid(connection, "private_connection_resource_id")
                // Sub-resource names are case-insensitive in Azure; the model keeps the canonical lower-case form.
                endpoint.groupIDs = strings(connection, "subresource_names").map { $0.lowercased() == $0 ? $0 : Self.canonicalGroupID($0) }
                endpoint.manualApproval = bool(connection, "is_manual_connection") ?? false
            }
            if let group = block(v, "private_dns_zone_group") {
                endpoint.privateDnsZoneGroup = PrivateDnsZoneGroup(name: string(group, "name") ?? "default", zones: rids(group, "private_dns_zone_ids"))
            }
            endpoint.ipConfigurations = blocks(v, "ip_configuration").compactMap { block in
                guard let address = string(block, "private_ip_address").flatMap({ IPv4Address($0) }) else { return nil }
                return PrivateEndpointIPConfiguration(name: string(block, "name") ?? "ipconfig", groupID: string(block, "subresource_name") ?? "",
                                                      memberName: string(block, "member_name") ?? "default", privateIPAddress: address)
            }
            insert(endpoint)
        case "azurerm_private_dns_zone":
            guard let id = id(instance) else { return }
            insert(PrivateDnsZone(id: id).with { $0.tags = tags(v) })
        case "azurerm_subnet_service_endpoint_storage_policy":
            guard let id = id(instance) else { return }
            var policy = ServiceEndpointPolicy(id: id, location: location(v))
            policy.tags = tags(v)
            for definition in blocks(v, "definition") {
                let name = string(definition, "name") ?? "definition"
                let resources = strings(definition, "service_resources")
                if string(definition, "service") == "Global" {
                    // The renderer writes aliases as a separate "<name>-aliases" definition with service Global.
                    let base = name.hasSuffix("-aliases") ? String(name.dropLast(8)) : name
                    if let index = policy.definitions.firstIndex(where: { $0.name == base }) {
                        policy.definitions[index].serviceAliases += resources
                    } else {
                        policy.definitions.append(ServiceEndpointPolicyDefinition(name: base, serviceResources: [], serviceAliases: resources))
                    }
                } else {
                    policy.definitions.append(ServiceEndpointPolicyDefinition(name: name, serviceResources: resources))
                }
            }
            insert(policy)
        case "azurerm_resource_group_template_deployment":
            mapTemplateDeployment(instance)
        case "azapi_resource":
            mapAzapi(instance)
        default:
            if !mapPlatformPrimary(instance) { mapServicePrimary(instance) }
        }
    }

    static func canonicalGroupID(_ text: String) -> String {
        let known = ["amlworkspace", "blob", "file", "queue", "table", "dfs", "vault", "registry", "account", "azuremonitor", "sites", "sqlServer", "searchService"]
        return known.first { $0.lowercased() == text.lowercased() } ?? text
    }

    func prefixes(_ texts: [String], _ key: String) -> [IPv4Prefix] {
        texts.compactMap { text in
            guard let parsed = IPv4Prefix.parse(text) else {
                if !text.contains(":") { warn("\(key) '\(text)' is not an IPv4 prefix") }
                return nil
            }
            return parsed.prefix
        }
    }

    func ipConfiguration(_ block: HCLValue, _ index: Int) -> IPConfiguration {
        var configuration = IPConfiguration(name: block["name"]?.stringValue ?? "ipconfig\(index + 1)", subnet: rid(block, "subnet_id"),
                                            privateIPAddress: block["private_ip_address"]?.stringValue.flatMap { IPv4Address($0) },
                                            publicIPAddress: rid(block, "public_ip_address_id"))
        if configuration.privateIPAddress == nil { configuration.privateIPAllocationMethod = "Dynamic" }
        return configuration
    }

    func secret(_ value: HCLValue?) -> SecretValue? {
        guard let value else { return nil }
        switch value {
        case .unknown(let u):
            if let (address, _) = split(u.reference), let producer = instanceByAddress[address], producer.type == "random_password" {
                return .generated(length: producer.value["length"]?.numberValue.map { Int($0) } ?? 16)
            }
            return .secureParameter(name: u.reference)
        case .null: return nil
        default: return .redactedLiteral
        }
    }

    /// A subnet, with the private endpoint policy semantics of the pinned major version.
    func subnet(_ id: ResourceID, _ v: HCLValue) -> Subnet {
        var subnet = Subnet(id: id)
        subnet.addressPrefixes = prefixes(strings(v, "address_prefixes") + strings(v, "address_prefix"), "address_prefixes")
        subnet.serviceEndpoints = strings(v, "service_endpoints").map { ServiceEndpoint(service: $0) }
        subnet.serviceEndpointPolicies = rids(v, "service_endpoint_policy_ids")
        subnet.delegations = blocks(v, "delegation").compactMap { block($0, "service_delegation").flatMap { string($0, "name") } }
        subnet.defaultOutboundAccess = bool(v, "default_outbound_access_enabled")
        if let text = string(v, "private_endpoint_network_policies") {
            // 4.x: Disabled (default), Enabled, NetworkSecurityGroupEnabled, RouteTableEnabled.
            subnet.privateEndpointNetworkPolicies = PrivateEndpointNetworkPolicies(rawValue: text) ?? .disabled
        } else if let enabled = bool(v, "private_endpoint_network_policies_enabled") {
            subnet.privateEndpointNetworkPolicies = enabled ? .enabled : .disabled
        } else if let enforce = bool(v, "enforce_private_link_endpoint_network_policies") {
            // 3.x: "Setting this to true will Disable the policy and setting this to false will Enable the policy"
            // (https://registry.terraform.io/providers/hashicorp/azurerm/3.9.0/docs/resources/subnet).
            subnet.privateEndpointNetworkPolicies = enforce ? .disabled : .enabled
        } else {
            // 3.x defaults the policies to enabled (enforce_… = false); 4.x to Disabled.
            subnet.privateEndpointNetworkPolicies = providerMajor >= 4 ? .disabled : .enabled
        }
        if let enabled = bool(v, "private_link_service_network_policies_enabled") {
            subnet.privateLinkServiceNetworkPolicies = enabled ? .enabled : .disabled
        } else if let enforce = bool(v, "enforce_private_link_service_network_policies") {
            // 3.x: true disables the policy, as for endpoints.
            subnet.privateLinkServiceNetworkPolicies = enforce ? .disabled : .enabled
        }
        return subnet
    }

    /// One NSG rule from a `security_rule` block or an `azurerm_network_security_rule` resource.
    func securityRule(_ v: HCLValue) -> SecurityRule? {
        guard let name = string(v, "name"), let priority = int(v, "priority") else {
            warn("a security rule without a name or priority is left out")
            return nil
        }
        let direction = SecurityRule.Direction(rawValue: string(v, "direction") ?? "Inbound") ?? .inbound
        let access = SecurityRule.Access(rawValue: string(v, "access") ?? "Allow") ?? .allow
        let protocolText = string(v, "protocol") ?? "*"
        let proto = NetworkProtocol.allCases.first { $0.rawValue.lowercased() == protocolText.lowercased() } ?? .any
        return SecurityRule(name: name, priority: priority, direction: direction, access: access, protocol: proto,
                            source: addressMatch(v, "source"), sourcePorts: ports(v, "source"),
                            destination: addressMatch(v, "destination"), destinationPorts: ports(v, "destination"),
                            description: string(v, "description"))
    }

    private func ports(_ v: HCLValue, _ side: String) -> PortMatch {
        var texts = strings(v, "\(side)_port_ranges")
        if let single = string(v, "\(side)_port_range") { texts.append(single) }
        if texts.isEmpty { return side == "source" ? .any : .any }
        return PortMatch.parse(texts.flatMap { $0.split(separator: ",").map(String.init) }) ?? .any
    }

    private func addressMatch(_ v: HCLValue, _ side: String) -> AddressMatch {
        let groups = rids(v, "\(side)_application_security_group_ids")
        if !groups.isEmpty { return .applicationSecurityGroups(groups) }
        if let single = v["\(side)_address_prefix"] {
            if case .unknown(let u) = single { return .unresolved(u.reference) }
            if let text = single.stringValue { return AddressMatch.parse(text) }
        }
        let many = strings(v, "\(side)_address_prefixes")
        if many.isEmpty { return .any }
        if many.count == 1 { return AddressMatch.parse(many[0]) }
        let parsed = many.compactMap { IPv4Prefix.parse($0)?.prefix }
        if parsed.count == many.count { return .prefixes(parsed) }
        return .unresolved(many.joined(separator: ","))
    }

    /// A VM password generated by `random_password` and also stored in a Key Vault secret is that secret.
    mutating func linkGeneratedPasswords() {
        var secretByProducer: [String: KeyVaultSecret] = [:]
        for instance in instances where instance.type == "azurerm_key_vault_secret" {
            guard case .unknown(let u)? = instance.value["value"], let (producer, _) = split(u.reference),
                  let id = idByAddress[instance.address], let secret = graph.resource(id, as: KeyVaultSecret.self) else { continue }
            secretByProducer[producer] = secret
        }
        for instance in instances where instance.type.hasSuffix("_virtual_machine") {
            guard case .unknown(let u)? = instance.value["admin_password"], let (producer, _) = split(u.reference),
                  let secret = secretByProducer[producer], let id = idByAddress[instance.address],
                  var vm = graph.resource(id, as: VirtualMachine.self) else { continue }
            vm.adminPassword = .keyVaultSecret(vault: secret.vault, name: secret.name)
            graph.insert(vm)
        }
    }

    /// With a Firewall Policy attached, the policy's threat intelligence mode applies (https://learn.microsoft.com/azure/firewall/threat-intel).
    mutating func applyPolicyThreatIntel() {
        for var firewall in graph.all(AzureFirewall.self) {
            guard let policy = graph.resource(firewall.firewallPolicy, as: FirewallPolicy.self) else { continue }
            firewall.threatIntelMode = policy.threatIntelMode
            graph.insert(firewall)
        }
    }

    /// Azure gives a firewall the first usable address of AzureFirewallSubnet (.4); Terraform only knows it after apply.
    mutating func resolveFirewallAddresses() {
        for var firewall in graph.all(AzureFirewall.self) {
            var changed = false
            for index in firewall.ipConfigurations.indices where firewall.ipConfigurations[index].privateIPAddress == nil {
                guard index == 0, let subnet = graph.resource(firewall.ipConfigurations[index].subnet, as: Subnet.self),
                      let prefix = subnet.addressPrefixes.first else { continue }
                firewall.ipConfigurations[index].privateIPAddress = prefix.firstAzureUsable
                changed = true
                evaluator.assume("\(firewall.name)'s private IP is read as \(prefix.firstAzureUsable), the first usable address of \(subnet.name) (Azure's observed allocation order)")
            }
            if changed { graph.insert(firewall) }
        }
    }

    /// An IP written directly, or a firewall's private IP known only after apply.
    func address(_ value: HCLValue?) -> IPv4Address? {
        guard let value else { return nil }
        if let text = value.stringValue { return IPv4Address(text) }
        if case .unknown(let u) = value, let (producer, attribute) = split(u.reference), attribute.contains("private_ip_address"),
           let id = idByAddress[producer], let firewall = graph.resource(id, as: AzureFirewall.self) {
            return firewall.privateIPAddress
        }
        if case .unknown(let u) = value { warn("an address is only known after apply (\(u.reference))") }
        return nil
    }

    mutating func mapRoutes(_ instance: ResourceInstance) {
        let v = instance.value
        func route(_ block: HCLValue) -> Route? {
            guard let name = string(block, "name"), let prefix = string(block, "address_prefix"),
                  let hopText = string(block, "next_hop_type"), let hop = NextHopType(rawValue: hopText) else { return nil }
            return Route(name: name, destination: RouteDestination.parse(prefix), nextHopType: hop,
                         nextHopIPAddress: address(block["next_hop_in_ip_address"]))
        }
        if instance.type == "azurerm_route_table" {
            guard let id = idByAddress[instance.address], var table = graph.resource(id, as: RouteTable.self) else { return }
            table.routes = blocks(v, "route").compactMap(route)
            graph.insert(table)
        } else if let id = idByAddress[instance.address], let tableID = id.parent, var table = graph.resource(tableID, as: RouteTable.self),
                  let parsed = route(v) {
            table.routes.append(parsed)
            graph.insert(table)
        }
    }
}
