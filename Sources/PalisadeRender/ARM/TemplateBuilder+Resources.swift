import PalisadeModel

extension TemplateBuilder {
    /// Every template resource, in graph (resource-ID) order with children after their parents.
    func resources() -> [TemplateResource] {
        var result: [TemplateResource] = []
        if let spoke = context.existingSpoke { result += existingSpokeResources(spoke) }
        for resource in graph.resources where TemplateBuilder.isTemplated(resource) {
            result += build(resource)
        }
        return result
    }

    /// An existing spoke VNet the template builds into: the VNet itself as an existing resource (never deployed),
    /// each subnet as its own child resource, and the VNet's side of each peering as a child resource.
    ///
    /// A reused subnet is written whole, like a new one: ARM has no resource that links an NSG or route table to a
    /// subnet; both are properties of the subnet, and a template deploys a resource with a PUT that sets the
    /// resource's properties as the template states them
    /// (https://learn.microsoft.com/azure/azure-resource-manager/templates/deployment-modes;
    /// https://learn.microsoft.com/rest/api/virtualnetwork/subnets/create-or-update). What the design does not state
    /// about a reused subnet (delegations, a NAT gateway, other service endpoints) is therefore cleared; the render
    /// warns about it. Operations on one VNet's subnets and peerings run one after another: each depends on the one
    /// before, as concurrent updates of one VNet fail with AnotherOperationInProgress.
    private func existingSpokeResources(_ vnet: VirtualNetwork) -> [TemplateResource] {
        var spoke = make(vnet.asResource, name: .string(vnet.name), location: false, members: [])
        spoke.existing = true
        spoke.dependsOn = []
        var result = [spoke]
        var previous: ResourceID?
        for subnet in graph.subnets(of: vnet.id) {
            var child = make(subnet.asResource, type: "Microsoft.Network/virtualNetworks/subnets", parent: vnet.id,
                             name: .string(subnet.name), location: false, members: [("properties", subnetProperties(subnet))])
            // The chain itself: the subnet before, not the end of the chain every consumer waits for.
            child.dependsOn = child.dependsOn.filter { graph.resource($0, as: Subnet.self)?.virtualNetwork != vnet.id && $0 != TemplateBuilder.lastOperation(on: vnet, in: graph) }
                + (previous.map { [$0] } ?? [])
            child.symbol = symbols[subnet.id] ?? child.symbol
            result.append(child)
            previous = subnet.id
        }
        for peering in vnet.peerings {
            let id = vnet.id.child("virtualNetworkPeerings", peering.name)
            result.append(TemplateResource(
                id: id, type: "Microsoft.Network/virtualNetworks/virtualNetworkPeerings", apiVersion: ARMRenderer.apiVersion(.virtualNetwork),
                parent: vnet.id, name: .string(peering.name), members: [("properties", peeringProperties(peering))],
                dependsOn: previous.map { [$0] } ?? [], symbol: TemplateBuilder.camel("spoke_" + TerraformSymbols.sanitize(peering.name))))
            previous = id
        }
        return result
    }

    /// A subnet's properties, as written inline in its VNet or as a resource of its own.
    private func subnetProperties(_ subnet: Subnet) -> TemplateValue {
        obj([
            ("addressPrefix", subnet.addressPrefixes.first.map(prefix)),
            ("networkSecurityGroup", idObject(subnet.networkSecurityGroup)),
            ("routeTable", idObject(subnet.routeTable)),
            ("natGateway", idObject(subnet.natGateway)),
            ("serviceEndpoints", subnet.serviceEndpoints.isEmpty ? nil : .array(subnet.serviceEndpoints.map {
                obj([("service", .string($0.service)), ("locations", $0.locations.isEmpty ? nil : .array($0.locations.map { _ in .parameter("location") }))])
            })),
            ("serviceEndpointPolicies", subnet.serviceEndpointPolicies.isEmpty ? nil : .array(subnet.serviceEndpointPolicies.compactMap(idObject))),
            ("privateEndpointNetworkPolicies", .string(subnet.privateEndpointNetworkPolicies.rawValue)),
            ("privateLinkServiceNetworkPolicies", .string(subnet.privateLinkServiceNetworkPolicies.rawValue)),
            ("defaultOutboundAccess", subnet.defaultOutboundAccess.map { .bool($0) }),
            ("delegations", subnet.delegations.isEmpty ? nil : .array(subnet.delegations.map {
                obj([("name", .string(TerraformSymbols.sanitize($0))), ("properties", obj([("serviceName", .string($0))]))])
            })),
        ])
    }

    /// One side of a peering's properties, every flag written.
    private func peeringProperties(_ peering: VirtualNetworkPeering) -> TemplateValue {
        obj([
            ("remoteVirtualNetwork", idObject(peering.remoteVirtualNetwork)),
            ("allowVirtualNetworkAccess", .bool(peering.allowVirtualNetworkAccess)),
            ("allowForwardedTraffic", .bool(peering.allowForwardedTraffic)),
            ("allowGatewayTransit", .bool(peering.allowGatewayTransit)),
            ("useRemoteGateways", .bool(peering.useRemoteGateways)),
        ])
    }

    private func make(_ resource: Resource, type: String? = nil, parent: ResourceID? = nil, name: TemplateValue? = nil,
                      scope: ResourceID? = nil, location: Bool = true, members: [(String, TemplateValue?)],
                      extraDependencies: [ResourceID] = []) -> TemplateResource {
        let payload = resource.payload
        var all: [(String, TemplateValue)] = []
        if location {
            all.append(("location", payload.location == "global" ? .string("global") : .parameter("location")))
        }
        if let tags = tags(payload.tags, of: resource.id) { all.append(("tags", tags)) }
        for (key, value) in members { if let value { all.append((key, value)) } }
        let dependsOn = dependencies(payload.references + extraDependencies + [parent].compactMap { $0 }, excluding: resource.id)
        return TemplateResource(id: resource.id, type: type ?? resource.type.rawValue,
                                apiVersion: ARMRenderer.apiVersion(resource.type), parent: parent,
                                name: name ?? (parent == nil ? .nameOf(resource.id) : .string(resource.id.name)),
                                scope: scope, members: all, dependsOn: dependsOn, symbol: symbols[resource.id] ?? "resource")
    }

    private func obj(_ members: [(String, TemplateValue?)]) -> TemplateValue {
        .object(members.compactMap { key, value in value.map { (key, $0) } })
    }

    private func enablement(_ flag: Bool) -> TemplateValue { .string(flag ? "Enabled" : "Disabled") }

    // swiftlint:disable:next cyclomatic_complexity function_body_length
    private func build(_ resource: Resource) -> [TemplateResource] {
        switch resource {
        case .resourceGroup, .subnet, .networkManager, .virtualWAN, .virtualHub:
            return []
        case .opaque(let opaque):
            guard TemplateBuilder.isRenderableOpaque(opaque) else { return [] }
            var template = make(resource, members: [("properties", importedValue(opaque.properties))])
            template.apiVersion = opaque.apiVersion ?? template.apiVersion
            return [template]
        case .virtualNetwork(let vnet):
            let subnets = graph.subnets(of: vnet.id).map { subnet -> TemplateValue in
                obj([("name", .string(subnet.name)), ("properties", subnetProperties(subnet))])
            }
            let subnetReferences = graph.subnets(of: vnet.id).flatMap(\.references)
            return [make(resource, members: [("properties", obj([
                ("addressSpace", obj([("addressPrefixes", .array(vnet.addressSpace.map(prefix)))])),
                ("dhcpOptions", vnet.dnsServers.isEmpty ? nil : obj([("dnsServers", .array(vnet.dnsServers.map { .string($0.description) }))])),
                ("subnets", .array(subnets)),
                // This VNet's side of each peering, inline (the remote side belongs to the remote VNet's owner):
                // https://learn.microsoft.com/azure/templates/microsoft.network/virtualnetworks
                ("virtualNetworkPeerings", vnet.peerings.isEmpty ? nil : .array(vnet.peerings.map { peering in
                    obj([("name", .string(peering.name)), ("properties", peeringProperties(peering))])
                })),
            ]))], extraDependencies: subnetReferences)]
        case .networkSecurityGroup(let nsg):
            let rules = nsg.securityRules.map(securityRule)
            return [make(resource, members: [("properties", obj([("securityRules", .array(rules))]))])]
        case .applicationSecurityGroup:
            return [make(resource, members: [("properties", .object([]))])]
        case .routeTable(let table):
            let routes = table.routes.map { route -> TemplateValue in
                let destination: TemplateValue = switch route.destination {
                case .prefix(let p): prefix(p)
                case .serviceTag(let tag): .string(tag)
                }
                return obj([("name", .string(route.name)), ("properties", obj([
                    ("addressPrefix", destination), ("nextHopType", .string(route.nextHopType.rawValue)),
                    ("nextHopIpAddress", route.nextHopIPAddress.map(nextHop)),
                ]))])
            }
            return [make(resource, members: [("properties", obj([
                ("disableBgpRoutePropagation", .bool(table.disableBgpRoutePropagation)), ("routes", .array(routes)),
            ]))])]
        case .publicIPAddress(let pip):
            let zoned = graph.all(VirtualNetworkGateway.self).contains { gateway in
                gateway.sku.hasSuffix("AZ") && gateway.ipConfigurations.contains { $0.publicIPAddress == pip.id }
            }
            return [make(resource, members: [
                ("sku", obj([("name", .string(pip.sku)), ("tier", .string("Regional"))])),
                ("zones", zoned ? .array([.string("1"), .string("2"), .string("3")]) : nil),
                ("properties", obj([("publicIPAllocationMethod", .string(pip.allocationMethod)), ("publicIPAddressVersion", .string("IPv4"))])),
            ])]
        case .networkInterface(let nic):
            return [make(resource, members: [("properties", obj([
                ("enableIPForwarding", nic.enableIPForwarding ? .bool(true) : nil),
                ("networkSecurityGroup", idObject(nic.networkSecurityGroup)),
                ("ipConfigurations", .array(nic.ipConfigurations.map { configuration in
                    obj([("name", .string(configuration.name)), ("properties", obj([
                        ("subnet", idObject(configuration.subnet)),
                        ("privateIPAllocationMethod", .string(configuration.privateIPAllocationMethod)),
                        ("privateIPAddress", configuration.privateIPAllocationMethod == "Static" ? configuration.privateIPAddress.map { .string($0.description) } : nil),
                        ("publicIPAddress", idObject(configuration.publicIPAddress)),
                        ("primary", .bool(configuration.primary)),
                    ]))])
                })),
            ]))])]
        case .virtualMachine(let vm):
            let image = vm.image.split(separator: ":").map(String.init)
            let linux = vm.osType.lowercased() == "linux"
            return [make(resource, members: [
                ("identity", identity(vm.identity)),
                ("properties", obj([
                    ("hardwareProfile", obj([("vmSize", .string(vm.size))])),
                    ("osProfile", obj([
                        ("computerName", .nameOf(vm.id)), ("adminUsername", .string(vm.adminUsername)),
                        // SSH-key-only Linux VMs keep password sign-in off and get their keys, never a password.
                        ("adminPassword", vm.usesSSHKeysOnly ? nil : .parameter(ARMRenderer.adminPasswordParameter)),
                        ("linuxConfiguration", linux ? obj([
                            ("disablePasswordAuthentication", .bool(vm.usesSSHKeysOnly)),
                            ("ssh", (vm.sshPublicKeys ?? []).isEmpty ? nil : obj([("publicKeys", .array((vm.sshPublicKeys ?? []).enumerated().map { i, key in
                                obj([("path", .string(key.path)),
                                     ("keyData", key.keyData.map { .string($0) } ?? .parameter(ARMRenderer.sshKeyParameter(vm, i)))])
                            }))])),
                        ]) : nil),
                    ])),
                    ("storageProfile", obj([
                        ("imageReference", image.count == 4 ? obj([("publisher", .string(image[0])), ("offer", .string(image[1])),
                                                                   ("sku", .string(image[2])), ("version", .string(image[3]))]) : nil),
                        ("osDisk", obj([("createOption", .string("FromImage")), ("caching", .string("ReadWrite")),
                                        ("managedDisk", obj([("storageAccountType", .string("Premium_LRS"))]))])),
                    ])),
                    ("networkProfile", obj([("networkInterfaces", .array(vm.networkInterfaces.compactMap(idObject)))])),
                    ("diagnosticsProfile", obj([("bootDiagnostics", obj([("enabled", .bool(true))]))])),
                ])),
            ])]
        case .bastionHost(let bastion):
            return [make(resource, members: [
                ("sku", obj([("name", .string(bastion.sku))])),
                ("properties", obj([
                    ("enableTunneling", bastion.sku == "Basic" || bastion.sku == "Developer" ? nil : .bool(bastion.enableTunneling)),
                    ("ipConfigurations", .array(bastion.ipConfigurations.map(ipConfiguration))),
                ])),
            ])]
        case .virtualNetworkGateway(let gateway):
            let clients = gateway.vpnClientConfiguration.map { clients in
                obj([
                    ("vpnClientAddressPool", obj([("addressPrefixes", .array(clients.addressPool.map { .string($0.description) }))])),
                    ("vpnClientProtocols", .array(clients.protocols.map { .string($0) })),
                    ("vpnAuthenticationTypes", .array(clients.authenticationTypes.map { .string($0) })),
                    ("vpnClientRootCertificates", .array(clients.rootCertificates.map { certificate in
                        obj([("name", .string(certificate.name)), ("properties", obj([
                            ("publicCertData", certificate.publicCertData.map { .string($0) } ?? .parameter(ARMRenderer.rootCertificateParameter(certificate))),
                        ]))])
                    })),
                ])
            }
            return [make(resource, members: [("properties", obj([
                ("gatewayType", .string(gateway.gatewayType)), ("vpnType", .string(gateway.vpnType)),
                ("sku", obj([("name", .string(gateway.sku)), ("tier", .string(gateway.sku))])),
                ("enableBgp", .bool(gateway.enableBgp)), ("activeActive", .bool(false)),
                ("ipConfigurations", .array(gateway.ipConfigurations.map { configuration in
                    obj([("name", .string(configuration.name)), ("properties", obj([
                        ("privateIPAllocationMethod", .string("Dynamic")),
                        ("subnet", idObject(configuration.subnet)), ("publicIPAddress", idObject(configuration.publicIPAddress)),
                    ]))])
                })),
                ("vpnClientConfiguration", clients),
            ]))])]
        case .natGateway(let gateway):
            return [make(resource, members: [
                ("sku", obj([("name", .string("Standard"))])),
                ("properties", obj([("publicIpAddresses", .array(gateway.publicIPAddresses.compactMap(idObject)))])),
            ])]
        case .azureFirewall(let firewall):
            return [make(resource, members: [("properties", obj([
                ("sku", obj([("name", .string(firewall.skuName)), ("tier", .string(firewall.skuTier))])),
                ("firewallPolicy", idObject(firewall.firewallPolicy)),
                ("threatIntelMode", firewall.firewallPolicy == nil ? .string(firewall.threatIntelMode.rawValue) : nil),
                ("ipConfigurations", .array(firewall.ipConfigurations.map(ipConfiguration))),
                ("managementIpConfiguration", firewall.managementIPConfiguration.map(ipConfiguration)),
            ]))], extraDependencies: firewallPolicyGroups(firewall.firewallPolicy))]
        case .firewallPolicy(let policy):
            var result = [make(resource, members: [("properties", obj([
                ("sku", obj([("tier", .string(policy.skuTier))])),
                ("threatIntelMode", .string(policy.threatIntelMode.rawValue)),
                ("basePolicy", idObject(policy.basePolicy)),
                ("snat", policy.privateRanges.map { obj([("privateRanges", .array($0.map { .string($0) }))]) }),
                ("dnsSettings", policy.dnsProxyEnabled || !policy.dnsServers.isEmpty ? obj([
                    ("enableProxy", .bool(policy.dnsProxyEnabled)),
                    ("servers", policy.dnsServers.isEmpty ? nil : .array(policy.dnsServers.map { .string($0.description) })),
                ]) : nil),
            ]))])]
            var previous: ResourceID?
            for group in policy.ruleCollectionGroups.sorted(by: { $0.priority < $1.priority }) {
                let groupID = policy.id.child("ruleCollectionGroups", group.name)
                // Groups of one policy must deploy one after another (the policy is locked while a group updates).
                let dependencies = [policy.id] + [previous].compactMap { $0 } + group.ruleCollections.flatMap(\.references)
                var template = TemplateResource(
                    id: groupID, type: "Microsoft.Network/firewallPolicies/ruleCollectionGroups",
                    apiVersion: ARMRenderer.apiVersion(.firewallPolicy), parent: policy.id, name: .string(group.name), scope: nil,
                    members: [("properties", obj([("priority", .int(group.priority)),
                                                  ("ruleCollections", .array(group.ruleCollections.sorted { $0.priority < $1.priority }.map(ruleCollection)))]))],
                    dependsOn: dependencies.compactMap { $0 == policy.id || $0 == previous ? $0 : dependency($0) },
                    symbol: (symbols[policy.id] ?? "firewallPolicy") + TemplateBuilder.camel("_" + group.name).capitalizedFirst)
                template.dependsOn = Array(Set(template.dependsOn)).sorted()
                result.append(template)
                previous = groupID
            }
            return result
        case .ipGroup(let group):
            return [make(resource, members: [("properties", obj([("ipAddresses", .array(group.ipAddresses.map(address)))]))])]
        case .privateEndpoint(let endpoint):
            let connection = obj([("name", .nameOf(endpoint.id)), ("properties", obj([
                ("privateLinkServiceId", id(endpoint.target)), ("groupIds", .array(endpoint.groupIDs.map { .string($0) })),
            ]))])
            var result = [make(resource, members: [("properties", obj([
                ("subnet", idObject(endpoint.subnet)),
                ("customNetworkInterfaceName", endpoint.customNetworkInterfaceName.map { .string($0) }),
                (endpoint.manualApproval ? "manualPrivateLinkServiceConnections" : "privateLinkServiceConnections", .array([connection])),
                ("ipConfigurations", endpoint.ipConfigurations.isEmpty ? nil : .array(endpoint.ipConfigurations.map { configuration in
                    obj([("name", .string(configuration.name)), ("properties", obj([
                        ("groupId", .string(configuration.groupID)), ("memberName", .string(configuration.memberName)),
                        ("privateIPAddress", .string(configuration.privateIPAddress.description)),
                    ]))])
                })),
            ]))], extraDependencies: [])]
            if let group = endpoint.privateDnsZoneGroup {
                let groupID = endpoint.id.child("privateDnsZoneGroups", group.name)
                result.append(TemplateResource(
                    id: groupID, type: "Microsoft.Network/privateEndpoints/privateDnsZoneGroups",
                    apiVersion: ARMRenderer.apiVersion(.privateEndpoint), parent: endpoint.id, name: .string(group.name), scope: nil,
                    members: [("properties", obj([("privateDnsZoneConfigs", .array(group.zones.map { zone in
                        obj([("name", .string(zone.name.replacingOccurrences(of: ".", with: "-"))),
                             ("properties", obj([("privateDnsZoneId", id(zone))]))])
                    }))]))],
                    dependsOn: dependencies([endpoint.id] + group.zones, excluding: groupID),
                    symbol: (symbols[endpoint.id] ?? "pe") + "ZoneGroup"))
            }
            return result
        case .privateDnsZone(let zone):
            var result = [make(resource, members: [("properties", .object([]))])]
            for link in zone.virtualNetworkLinks {
                let linkID = zone.id.child("virtualNetworkLinks", link.name)
                result.append(TemplateResource(
                    id: linkID, type: "Microsoft.Network/privateDnsZones/virtualNetworkLinks",
                    apiVersion: ARMRenderer.apiVersion(.privateDnsZone), parent: zone.id, name: nameValue(linkID), scope: nil,
                    members: [("location", .string("global"))] + (tags(zone.tags).map { [("tags", $0)] } ?? []) + [("properties", obj([
                        ("virtualNetwork", idObject(link.virtualNetwork)), ("registrationEnabled", .bool(link.registrationEnabled)),
                        ("resolutionPolicy", link.resolutionPolicy == "Default" ? nil : .string(link.resolutionPolicy)),
                    ]))],
                    dependsOn: dependencies([zone.id, link.virtualNetwork], excluding: linkID),
                    symbol: (symbols[zone.id] ?? "zone") + "Link"))
            }
            return result
        case .serviceEndpointPolicy(let policy):
            let definitions = policy.definitions.flatMap { definition -> [TemplateValue] in
                var values: [TemplateValue] = []
                if !definition.serviceResources.isEmpty {
                    values.append(obj([("name", .string(definition.name)), ("properties", obj([
                        ("service", .string(definition.service)),
                        ("serviceResources", .array(definition.serviceResources.map { self.id(ResourceID($0))! })),
                    ]))]))
                }
                if !definition.serviceAliases.isEmpty {
                    values.append(obj([("name", .string("\(definition.name)-aliases")), ("properties", obj([
                        ("service", .string("Global")), ("serviceResources", .array(definition.serviceAliases.map { .string($0) })),
                    ]))]))
                }
                return values
            }
            let targets = policy.definitions.flatMap(\.serviceResources).map { ResourceID($0) }
            return [make(resource, members: [("properties", obj([("serviceEndpointPolicyDefinitions", .array(definitions))]))],
                         extraDependencies: targets)]
        default:
            return buildServices(resource)
        }
    }

    private func firewallPolicyGroups(_ policy: ResourceID?) -> [ResourceID] {
        guard let policy, let value = graph.resource(policy, as: FirewallPolicy.self) else { return [] }
        return value.ruleCollectionGroups.sorted { $0.priority < $1.priority }.suffix(1).map { policy.child("ruleCollectionGroups", $0.name) }
    }

    private func ipConfiguration(_ configuration: IPConfiguration) -> TemplateValue {
        obj([("name", .string(configuration.name)), ("properties", obj([
            ("subnet", idObject(configuration.subnet)), ("publicIPAddress", idObject(configuration.publicIPAddress)),
        ]))])
    }

    /// The next hop as the planned address. A reference to the firewall would be a cycle here: the VNet carries
    /// its subnets inline with their route table, and the firewall sits in one of those subnets.
    func nextHop(_ address: IPv4Address) -> TemplateValue { .string(address.description) }

    private func securityRule(_ rule: SecurityRule) -> TemplateValue {
        var members: [(String, TemplateValue?)] = [
            ("priority", .int(rule.priority)), ("direction", .string(rule.direction.rawValue)),
            ("access", .string(rule.access.rawValue)), ("protocol", .string(rule.protocol.rawValue)),
        ]
        func ports(_ side: String, _ match: PortMatch) {
            switch match {
            case .any: members.append(("\(side)PortRange", .string("*")))
            case .ranges(let ranges) where ranges.count == 1: members.append(("\(side)PortRange", .string(ranges[0].description)))
            case .ranges(let ranges): members.append(("\(side)PortRanges", .array(ranges.map { .string($0.description) })))
            }
        }
        func addresses(_ side: String, _ match: AddressMatch) {
            switch match {
            case .any: members.append(("\(side)AddressPrefix", .string("*")))
            case .serviceTag(let tag), .unresolved(let tag): members.append(("\(side)AddressPrefix", .string(tag)))
            case .prefixes(let prefixes) where prefixes.count == 1: members.append(("\(side)AddressPrefix", prefix(prefixes[0])))
            case .prefixes(let prefixes): members.append(("\(side)AddressPrefixes", .array(prefixes.map(prefix))))
            case .applicationSecurityGroups(let groups):
                members.append(("\(side)ApplicationSecurityGroups", .array(groups.compactMap(idObject))))
            }
        }
        ports("source", rule.sourcePorts)
        ports("destination", rule.destinationPorts)
        addresses("source", rule.source)
        addresses("destination", rule.destination)
        members.append(("description", rule.description.map { .string(String($0.prefix(140))) }))
        return obj([("name", .string(rule.name)), ("properties", obj(members))])
    }

    func ruleCollection(_ collection: FirewallRuleCollection) -> TemplateValue {
        let isNat = collection.rules.contains { if case .nat = $0 { return true } else { return false } }
        let rules = collection.rules.map { rule -> TemplateValue in
            switch rule {
            case .network(let r):
                return obj([
                    ("ruleType", .string("NetworkRule")), ("name", .string(r.name)),
                    ("ipProtocols", .array(r.protocols.map { .string(armProtocol($0)) })),
                    ("sourceAddresses", .array(r.sourceAddresses.map(address))),
                    ("sourceIpGroups", r.sourceIPGroups.isEmpty ? nil : .array(r.sourceIPGroups.compactMap { id($0) })),
                    ("destinationAddresses", .array(r.destinationAddresses.map(address))),
                    ("destinationIpGroups", r.destinationIPGroups.isEmpty ? nil : .array(r.destinationIPGroups.compactMap { id($0) })),
                    ("destinationFqdns", r.destinationFqdns.isEmpty ? nil : .array(r.destinationFqdns.map { .string($0) })),
                    ("destinationPorts", .array(r.destinationPorts.map { .string($0) })),
                ])
            case .application(let r):
                return obj([
                    ("ruleType", .string("ApplicationRule")), ("name", .string(r.name)),
                    ("protocols", .array(r.protocols.map { obj([("protocolType", .string($0.type)), ("port", .int($0.port))]) })),
                    ("sourceAddresses", .array(r.sourceAddresses.map(address))),
                    ("sourceIpGroups", r.sourceIPGroups.isEmpty ? nil : .array(r.sourceIPGroups.compactMap { id($0) })),
                    ("targetFqdns", r.targetFqdns.isEmpty ? nil : .array(r.targetFqdns.map { .string($0) })),
                    ("fqdnTags", r.fqdnTags.isEmpty ? nil : .array(r.fqdnTags.map { .string($0) })),
                    ("webCategories", r.webCategories.isEmpty ? nil : .array(r.webCategories.map { .string($0) })),
                    ("terminateTLS", r.terminateTLS ? .bool(true) : nil),
                ])
            case .nat(let r):
                return obj([
                    ("ruleType", .string("NatRule")), ("name", .string(r.name)),
                    ("ipProtocols", .array(r.protocols.map { .string(armProtocol($0)) })),
                    ("sourceAddresses", .array(r.sourceAddresses.map(address))),
                    ("destinationAddresses", .array(r.destinationAddresses.map { .string($0) })),
                    ("destinationPorts", .array(r.destinationPorts.map { .string($0) })),
                    ("translatedAddress", r.translatedAddress.map { .string($0) }),
                    ("translatedFqdn", r.translatedFqdn.map { .string($0) }),
                    ("translatedPort", r.translatedPort.map { .string($0) }),
                ])
            }
        }
        return obj([
            ("ruleCollectionType", .string(isNat ? "FirewallPolicyNatRuleCollection" : "FirewallPolicyFilterRuleCollection")),
            ("name", .string(collection.name)), ("priority", .int(collection.priority)),
            ("action", obj([("type", .string(collection.action.rawValue))])),
            ("rules", .array(rules)),
        ])
    }

    private func armProtocol(_ value: NetworkProtocol) -> String {
        switch value {
        case .tcp: "TCP"
        case .udp: "UDP"
        case .icmp: "ICMP"
        case .any, .esp, .ah: "Any"
        }
    }
}

extension String {
    /// The string with its first character upper-cased.
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
