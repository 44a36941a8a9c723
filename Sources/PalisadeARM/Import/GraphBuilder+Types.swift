import PalisadeModel

extension GraphBuilder {
    func virtualNetwork(_ raw: RawResource, _ id: ResourceID, _ p: ARMValue) {
        var vnet = graph.resource(id, as: VirtualNetwork.self) ?? VirtualNetwork(id: id)
        common(&vnet, raw)
        vnet.addressSpace = prefixes(array(p["addressSpace"]?["addressPrefixes"]), "properties.addressSpace.addressPrefixes")
        vnet.dnsServers = array(p["dhcpOptions"]?["dnsServers"]).enumerated().compactMap { address($0.element, "properties.dhcpOptions.dnsServers[\($0.offset)]") }
        checkUniqueNames(array(p["subnets"]), "properties.subnets", what: "subnet", raw)
        for (i, s) in array(p["subnets"]).enumerated() {
            guard let name = text(s["name"], "properties.subnets[\(i)].name") else { continue }
            var subnet = subnet(id: id.child("subnets", name), s["properties"] ?? .null, raw, path: "properties.subnets[\(i)].properties")
            subnet.source = raw.location(of: "properties.subnets[\(i)]")
            graph.insert(subnet)
        }
        for (i, peer) in array(p["virtualNetworkPeerings"]).enumerated() {
            if let peering = peering(name: peer["name"]?.stringValue ?? "peering\(i)", peer["properties"] ?? .null,
                                     "properties.virtualNetworkPeerings[\(i)].properties") {
                vnet.peerings.append(peering)
            }
        }
        graph.insert(vnet)
    }

    func subnet(id: ResourceID, _ p: ARMValue, _ raw: RawResource, path: String = "properties") -> Subnet {
        var s = Subnet(id: id)
        s.source = raw.source
        var prefixValues = array(p["addressPrefixes"])
        if let single = p["addressPrefix"] { prefixValues.insert(single, at: 0) }
        s.addressPrefixes = prefixes(prefixValues, path + ".addressPrefix")
        s.networkSecurityGroup = rid(p["networkSecurityGroup"], path + ".networkSecurityGroup")
        s.routeTable = rid(p["routeTable"], path + ".routeTable")
        s.natGateway = rid(p["natGateway"], path + ".natGateway")
        s.delegations = array(p["delegations"]).compactMap { $0["properties"]?["serviceName"]?.stringValue ?? $0["serviceName"]?.stringValue }
        if let v = enumValue(p["privateEndpointNetworkPolicies"], path + ".privateEndpointNetworkPolicies", as: PrivateEndpointNetworkPolicies.self) {
            s.privateEndpointNetworkPolicies = v
        }
        if let v = enablement(p["privateLinkServiceNetworkPolicies"], path + ".privateLinkServiceNetworkPolicies") {
            s.privateLinkServiceNetworkPolicies = v
        }
        s.serviceEndpoints = array(p["serviceEndpoints"]).compactMap { e in
            guard let service = e["service"]?.stringValue else { return nil }
            return ServiceEndpoint(service: service, locations: strings(e["locations"], path + ".serviceEndpoints.locations"))
        }
        s.serviceEndpointPolicies = array(p["serviceEndpointPolicies"]).enumerated().compactMap { rid($0.element, "\(path).serviceEndpointPolicies[\($0.offset)]") }
        s.defaultOutboundAccess = bool(p["defaultOutboundAccess"], path + ".defaultOutboundAccess")
        return s
    }

    func peering(name: String, _ p: ARMValue, _ path: String) -> VirtualNetworkPeering? {
        guard let remote = rid(p["remoteVirtualNetwork"], path + ".remoteVirtualNetwork") else { return nil }
        var peer = VirtualNetworkPeering(name: name.split(separator: "/").last.map(String.init) ?? name, remoteVirtualNetwork: remote)
        peer.allowVirtualNetworkAccess = bool(p["allowVirtualNetworkAccess"], path + ".allowVirtualNetworkAccess") ?? true
        peer.allowForwardedTraffic = bool(p["allowForwardedTraffic"], path + ".allowForwardedTraffic") ?? false
        peer.allowGatewayTransit = bool(p["allowGatewayTransit"], path + ".allowGatewayTransit") ?? false
        peer.useRemoteGateways = bool(p["useRemoteGateways"], path + ".useRemoteGateways") ?? false
        return peer
    }

    /// One side of an NSG rule: `*`, prefixes, service tags, ASGs; anything unknown is `.unresolved`, never `*`.
    func addressMatch(_ single: ARMValue?, _ many: ARMValue?, _ asgs: ARMValue?, _ path: String) -> AddressMatch {
        let groups = array(asgs).enumerated().compactMap { rid($0.element, "\(path)ApplicationSecurityGroups[\($0.offset)]") }
        if !groups.isEmpty { return .applicationSecurityGroups(groups) }
        var values = array(many)
        if let single, single != .null, !(single.stringValue?.isEmpty ?? false) { values.insert(single, at: 0) }
        if values.contains(where: \.isUnknown) || (many?.isUnknown ?? false) {
            let why = values.first(where: \.isUnknown).map { ARMText.string($0) } ?? ARMText.string(many ?? .null)
            warn("\(path) is only known at deployment time", path)
            return .unresolved(why)
        }
        let texts = values.compactMap(\.stringValue)
        if texts.isEmpty { return .unresolved("no address given") }
        if texts.count == 1 { return AddressMatch.parse(texts[0]) }
        let parsed = texts.map { AddressMatch.parse($0) }
        var all: [IPv4Prefix] = []
        for m in parsed {
            switch m {
            case .any: return .any
            case .prefixes(let p): all += p
            default:
                warn("\(path) mixes service tags and prefixes (\(texts.joined(separator: ", ")))", path)
                return .unresolved(texts.joined(separator: ","))
            }
        }
        return .prefixes(all)
    }

    /// Ports; an unknown value reads as `*` for Allow rules and as no ports for Deny rules (the conservative side).
    func portMatch(_ single: ARMValue?, _ many: ARMValue?, allow: Bool, _ path: String) -> PortMatch {
        var values = array(many)
        if let single, single != .null, !(single.stringValue?.isEmpty ?? false) { values.insert(single, at: 0) }
        if values.contains(where: \.isUnknown) || (many?.isUnknown ?? false) {
            warn("\(path) is only known at deployment time; read as \(allow ? "any port (Allow rule)" : "no port (Deny rule)")", path)
            return allow ? .any : .ranges([])
        }
        let texts = values.map { v -> String in
            if case .int(let i) = v { return String(i) }
            return v.stringValue ?? ""
        }
        if texts.isEmpty || texts.allSatisfy(\.isEmpty) {
            warn("\(path) gives no port; read as \(allow ? "any port (Allow rule)" : "no port (Deny rule)")", path)
            return allow ? .any : .ranges([])
        }
        if let parsed = PortMatch.parse(texts) { return parsed }
        warn("\(path) '\(texts.joined(separator: ","))' is not a port list; read as \(allow ? "any port" : "no port")", path)
        return allow ? .any : .ranges([])
    }

    func securityRule(name: String, _ p: ARMValue, _ path: String) -> SecurityRule? {
        guard let direction = enumValue(p["direction"], path + ".direction", as: SecurityRule.Direction.self),
              let access = enumValue(p["access"], path + ".access", as: SecurityRule.Access.self) else {
            warn("security rule '\(name)' has no resolvable direction or access; it is left out", path)
            return nil
        }
        guard let priority = int(p["priority"], path + ".priority") else {
            warn("security rule '\(name)' has no resolvable priority; it is left out", path)
            return nil
        }
        let proto = enumValue(p["protocol"], path + ".protocol", as: NetworkProtocol.self) ?? .any
        let allow = access == .allow
        return SecurityRule(
            name: name.split(separator: "/").last.map(String.init) ?? name, priority: priority, direction: direction, access: access,
            protocol: proto,
            source: addressMatch(p["sourceAddressPrefix"], p["sourceAddressPrefixes"], p["sourceApplicationSecurityGroups"], path + ".source"),
            sourcePorts: portMatch(p["sourcePortRange"], p["sourcePortRanges"], allow: allow, path + ".sourcePortRange"),
            destination: addressMatch(p["destinationAddressPrefix"], p["destinationAddressPrefixes"],
                                      p["destinationApplicationSecurityGroups"], path + ".destination"),
            destinationPorts: portMatch(p["destinationPortRange"], p["destinationPortRanges"], allow: allow, path + ".destinationPortRange"),
            description: p["description"]?.stringValue)
    }

    func route(name: String, _ p: ARMValue, _ path: String) -> Route? {
        guard let prefix = text(p["addressPrefix"], path + ".addressPrefix"),
              let hop = enumValue(p["nextHopType"], path + ".nextHopType", as: NextHopType.self) else {
            warn("route '\(name)' has no resolvable address prefix or next hop; it is left out", path)
            return nil
        }
        let destination: RouteDestination
        if let parsed = IPv4Prefix.parse(prefix) { destination = .prefix(parsed.prefix) } else { destination = .serviceTag(prefix) }
        return Route(name: name.split(separator: "/").last.map(String.init) ?? name, destination: destination, nextHopType: hop,
                     nextHopIPAddress: address(p["nextHopIpAddress"], path + ".nextHopIpAddress"))
    }

    func ipConfigurations(_ v: ARMValue?, _ path: String) -> [IPConfiguration] {
        array(v).enumerated().map { i, c in
            let p = c["properties"] ?? .null
            let at = "\(path)[\(i)].properties"
            var config = IPConfiguration(name: c["name"]?.stringValue ?? "ipconfig\(i + 1)", subnet: rid(p["subnet"], at + ".subnet"),
                                         privateIPAddress: address(p["privateIPAddress"], at + ".privateIPAddress"),
                                         publicIPAddress: rid(p["publicIPAddress"], at + ".publicIPAddress"))
            if let method = p["privateIPAllocationMethod"]?.stringValue { config.privateIPAllocationMethod = method }
            config.primary = bool(p["primary"], at + ".primary") ?? (i == 0)
            config.applicationSecurityGroups = array(p["applicationSecurityGroups"]).enumerated().compactMap {
                rid($0.element, "\(at).applicationSecurityGroups[\($0.offset)]")
            }
            return config
        }
    }

    func virtualMachine(_ raw: RawResource, _ id: ResourceID, _ p: ARMValue) {
        var vm = VirtualMachine(id: id)
        common(&vm, raw)
        vm.size = text(p["hardwareProfile"]?["vmSize"], "properties.hardwareProfile.vmSize") ?? vm.size
        if let os = p["storageProfile"]?["osDisk"]?["osType"]?.stringValue {
            vm.osType = os
        } else if p["osProfile"]?["linuxConfiguration"] != nil {
            vm.osType = "Linux"
        }
        if let image = p["storageProfile"]?["imageReference"]?.objectValue {
            let parts = ["publisher", "offer", "sku", "version"].map { image[$0]?.stringValue ?? "" }
            if parts.contains(where: { !$0.isEmpty }) { vm.image = parts.joined(separator: ":") }
            if vm.osType == "Windows", parts[0].lowercased().contains("canonical") || parts[1].lowercased().contains("ubuntu") { vm.osType = "Linux" }
        }
        vm.networkInterfaces = array(p["networkProfile"]?["networkInterfaces"]).enumerated().compactMap {
            rid($0.element, "properties.networkProfile.networkInterfaces[\($0.offset)]")
        }
        vm.adminUsername = p["osProfile"]?["adminUsername"]?.stringValue ?? vm.adminUsername
        vm.adminPassword = secret(p["osProfile"]?["adminPassword"], "properties.osProfile.adminPassword")
        if let linux = p["osProfile"]?["linuxConfiguration"] {
            let at = "properties.osProfile.linuxConfiguration"
            vm.disablePasswordAuthentication = bool(linux["disablePasswordAuthentication"], at + ".disablePasswordAuthentication")
            let keys = array(linux["ssh"]?["publicKeys"]).enumerated().map { i, key in
                SSHPublicKey(path: key["path"]?.stringValue ?? "/home/\(vm.adminUsername)/.ssh/authorized_keys",
                             keyData: text(key["keyData"], "\(at).ssh.publicKeys[\(i)].keyData"))
            }
            if !keys.isEmpty { vm.sshPublicKeys = keys }
        }
        vm.identity = identity(raw.body["identity"])
        graph.insert(vm)
    }

    func networkProtocols(_ v: ARMValue?, _ path: String) -> [NetworkProtocol] {
        strings(v, path).compactMap { s in
            if s.lowercased() == "any" { return .any }
            return NetworkProtocol.allCases.first { $0.rawValue.lowercased() == s.lowercased() }
        }
    }

    func classicCollections(_ v: ARMValue?, kind: String, _ path: String) -> [FirewallRuleCollection] {
        array(v).enumerated().map { i, c in
            let p = c["properties"] ?? .null
            let at = "\(path)[\(i)].properties"
            let action = enumValue(p["action"]?["type"], at + ".action.type", as: FirewallRuleCollection.Action.self)
                ?? (kind == "nat" ? .dnat : .deny)
            let rules: [FirewallRule] = array(p["rules"]).enumerated().map { j, r in firewallRule(r, kind: kind, "\(at).rules[\(j)]") }
            return FirewallRuleCollection(name: c["name"]?.stringValue ?? "collection\(i)", priority: int(p["priority"], at + ".priority") ?? 0,
                                          action: action, rules: rules)
        }
    }

    func firewallRule(_ r: ARMValue, kind: String, _ at: String) -> FirewallRule {
        let name = r["name"]?.stringValue ?? ""
        let sources = strings(r["sourceAddresses"], at + ".sourceAddresses")
        let sourceGroups = array(r["sourceIpGroups"]).enumerated().compactMap { rid($0.element, "\(at).sourceIpGroups[\($0.offset)]") }
        switch kind {
        case "application":
            let protocols = array(r["protocols"]).compactMap { p -> ApplicationProtocol? in
                guard let type = p["protocolType"]?.stringValue else { return nil }
                return ApplicationProtocol(type, int(p["port"], at + ".protocols.port") ?? (type.lowercased() == "http" ? 80 : 443))
            }
            var rule = ApplicationRule(name: name, protocols: protocols, sourceAddresses: sources,
                                       targetFqdns: strings(r["targetFqdns"], at + ".targetFqdns"), fqdnTags: strings(r["fqdnTags"], at + ".fqdnTags"))
            rule.sourceIPGroups = sourceGroups
            rule.webCategories = strings(r["webCategories"], at + ".webCategories")
            rule.terminateTLS = bool(r["terminateTLS"], at + ".terminateTLS") ?? false
            return .application(rule)
        case "nat":
            var rule = NatRule(name: name, protocols: networkProtocols(r["protocols"] ?? r["ipProtocols"], at + ".protocols"), sourceAddresses: sources,
                               destinationAddresses: strings(r["destinationAddresses"], at + ".destinationAddresses"),
                               destinationPorts: strings(r["destinationPorts"], at + ".destinationPorts"),
                               translatedAddress: text(r["translatedAddress"], at + ".translatedAddress"),
                               translatedPort: text(r["translatedPort"], at + ".translatedPort"))
            rule.sourceIPGroups = sourceGroups
            rule.translatedFqdn = text(r["translatedFqdn"], at + ".translatedFqdn")
            return .nat(rule)
        default:
            var rule = NetworkRule(name: name, protocols: networkProtocols(r["protocols"] ?? r["ipProtocols"], at + ".protocols"),
                                   sourceAddresses: sources,
                                   destinationAddresses: strings(r["destinationAddresses"], at + ".destinationAddresses"),
                                   destinationFqdns: strings(r["destinationFqdns"], at + ".destinationFqdns"),
                                   destinationPorts: strings(r["destinationPorts"], at + ".destinationPorts"))
            rule.sourceIPGroups = sourceGroups
            rule.destinationIPGroups = array(r["destinationIpGroups"]).enumerated().compactMap { rid($0.element, "\(at).destinationIpGroups[\($0.offset)]") }
            return .network(rule)
        }
    }

    func azureFirewall(_ raw: RawResource, _ id: ResourceID, _ p: ARMValue) {
        var fw = AzureFirewall(id: id)
        common(&fw, raw)
        fw.skuName = p["sku"]?["name"]?.stringValue ?? fw.skuName
        fw.skuTier = p["sku"]?["tier"]?.stringValue ?? fw.skuTier
        fw.ipConfigurations = ipConfigurations(p["ipConfigurations"], "properties.ipConfigurations")
        if let mgmt = p["managementIpConfiguration"], mgmt != .null {
            fw.managementIPConfiguration = ipConfigurations(.array([mgmt]), "properties.managementIpConfiguration").first
        }
        fw.firewallPolicy = rid(p["firewallPolicy"], "properties.firewallPolicy")
        fw.threatIntelMode = enumValue(p["threatIntelMode"], "properties.threatIntelMode") ?? .alert
        fw.natRuleCollections = classicCollections(p["natRuleCollections"], kind: "nat", "properties.natRuleCollections")
        fw.networkRuleCollections = classicCollections(p["networkRuleCollections"], kind: "network", "properties.networkRuleCollections")
        fw.applicationRuleCollections = classicCollections(p["applicationRuleCollections"], kind: "application", "properties.applicationRuleCollections")
        let extra = p["additionalProperties"]
        fw.dnsProxyEnabled = bool(extra?["Network.DNS.EnableProxy"], "properties.additionalProperties") ?? false
        if let ranges = extra?["Network.SNAT.PrivateRanges"]?.stringValue {
            fw.privateRanges = ranges.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        }
        // A secured hub's firewall (https://learn.microsoft.com/azure/templates/microsoft.network/azurefirewalls).
        fw.virtualHub = rid(p["virtualHub"], "properties.virtualHub")
        fw.hubPrivateIPAddress = address(p["hubIPAddresses"]?["privateIPAddress"], "properties.hubIPAddresses.privateIPAddress")
        fw.hubPublicIPAddresses = array(p["hubIPAddresses"]?["publicIPs"]?["addresses"]).enumerated().compactMap {
            address($0.element["address"], "properties.hubIPAddresses.publicIPs.addresses[\($0.offset)].address")
        }
        graph.insert(fw)
    }

    func firewallPolicy(_ raw: RawResource, _ id: ResourceID, _ p: ARMValue) {
        var policy = graph.resource(id, as: FirewallPolicy.self) ?? FirewallPolicy(id: id)
        common(&policy, raw)
        policy.skuTier = p["sku"]?["tier"]?.stringValue ?? policy.skuTier
        policy.basePolicy = rid(p["basePolicy"], "properties.basePolicy")
        policy.threatIntelMode = enumValue(p["threatIntelMode"], "properties.threatIntelMode") ?? .alert
        policy.dnsProxyEnabled = bool(p["dnsSettings"]?["enableProxy"], "properties.dnsSettings.enableProxy") ?? false
        policy.dnsServers = array(p["dnsSettings"]?["servers"]).enumerated().compactMap { address($0.element, "properties.dnsSettings.servers[\($0.offset)]") }
        if let ranges = p["snat"]?["privateRanges"] { policy.privateRanges = strings(ranges, "properties.snat.privateRanges") }
        graph.insert(policy)
    }

    func policyCollection(_ c: ARMValue, _ at: String) -> FirewallRuleCollection? {
        let type = (c["ruleCollectionType"]?.stringValue ?? "").lowercased()
        let isNat = type.contains("nat")
        let action = enumValue(c["action"]?["type"], at + ".action.type", as: FirewallRuleCollection.Action.self) ?? (isNat ? .dnat : .deny)
        let rules = array(c["rules"]).enumerated().map { j, r -> FirewallRule in
            let ruleType = (r["ruleType"]?.stringValue ?? "").lowercased()
            let kind = ruleType.contains("application") ? "application" : (ruleType.contains("nat") || isNat ? "nat" : "network")
            return firewallRule(r, kind: kind, "\(at).rules[\(j)]")
        }
        return FirewallRuleCollection(name: c["name"]?.stringValue ?? "", priority: int(c["priority"], at + ".priority") ?? 0, action: action, rules: rules)
    }

    func privateEndpoint(_ raw: RawResource, _ id: ResourceID, _ p: ARMValue) {
        var pe = graph.resource(id, as: PrivateEndpoint.self) ?? PrivateEndpoint(id: id)
        common(&pe, raw)
        pe.subnet = rid(p["subnet"], "properties.subnet")
        var connections = array(p["privateLinkServiceConnections"])
        let manual = array(p["manualPrivateLinkServiceConnections"])
        if connections.isEmpty && !manual.isEmpty { connections = manual; pe.manualApproval = true }
        if let first = connections.first?["properties"] {
            pe.target = rid(first["privateLinkServiceId"], "properties.privateLinkServiceConnections[0].properties.privateLinkServiceId")
            pe.groupIDs = strings(first["groupIds"], "properties.privateLinkServiceConnections[0].properties.groupIds")
        }
        pe.customNetworkInterfaceName = p["customNetworkInterfaceName"]?.stringValue
        pe.ipConfigurations = array(p["ipConfigurations"]).enumerated().compactMap { i, c in
            let cp = c["properties"] ?? .null
            guard let ip = address(cp["privateIPAddress"], "properties.ipConfigurations[\(i)].properties.privateIPAddress") else { return nil }
            return PrivateEndpointIPConfiguration(name: c["name"]?.stringValue ?? "ipconfig\(i)", groupID: cp["groupId"]?.stringValue ?? "",
                                                  memberName: cp["memberName"]?.stringValue ?? "", privateIPAddress: ip)
        }
        graph.insert(pe)
    }

    func workspace(_ raw: RawResource, _ id: ResourceID, _ p: ARMValue) {
        var ws = graph.resource(id, as: MachineLearningWorkspace.self) ?? MachineLearningWorkspace(id: id)
        common(&ws, raw)
        ws.kind = raw.body["kind"]?.stringValue ?? ws.kind
        ws.sku = raw.body["sku"]?["name"]?.stringValue ?? ws.sku
        ws.publicNetworkAccess = enablement(p["publicNetworkAccess"], "properties.publicNetworkAccess")
        ws.highBusinessImpact = bool(p["hbiWorkspace"], "properties.hbiWorkspace") ?? false
        ws.imageBuildCompute = text(p["imageBuildCompute"], "properties.imageBuildCompute")
        ws.systemDatastoresAuthMode = text(p["systemDatastoresAuthMode"], "properties.systemDatastoresAuthMode")
        if let mn = p["managedNetwork"], mn != .null {
            ws.managedNetwork.isolationMode = enumValue(mn["isolationMode"], "properties.managedNetwork.isolationMode") ?? .disabled
            ws.managedNetwork.firewallSku = mn["firewallSku"]?.stringValue
            if let status = mn["status"]?["status"]?.stringValue { ws.managedNetwork.provisioned = status.lowercased() == "active" }
            for e in mn["outboundRules"]?.objectValue?.entries ?? [] {
                if let rule = outboundRule(name: e.key, e.value, "properties.managedNetwork.outboundRules.\(e.key)") {
                    ws.managedNetwork.outboundRules.append(rule)
                }
            }
        }
        ws.identity = raw.body["identity"] == nil ? .system : identity(raw.body["identity"])
        ws.primaryUserAssignedIdentity = rid(p["primaryUserAssignedIdentity"], "properties.primaryUserAssignedIdentity")
        ws.storageAccount = rid(p["storageAccount"], "properties.storageAccount")
        ws.keyVault = rid(p["keyVault"], "properties.keyVault")
        ws.containerRegistry = rid(p["containerRegistry"], "properties.containerRegistry")
        ws.applicationInsights = rid(p["applicationInsights"], "properties.applicationInsights")
        ws.v1LegacyMode = bool(p["v1LegacyMode"], "properties.v1LegacyMode") ?? false
        ws.ipAllowlist = strings(p["ipAllowlist"], "properties.ipAllowlist")
        graph.insert(ws)
    }

    func outboundRule(name: String, _ r: ARMValue, _ path: String) -> ManagedOutboundRule? {
        guard let kind = enumValue(r["type"], path + ".type", as: ManagedOutboundRule.Kind.self) else { return nil }
        var rule = ManagedOutboundRule(name: name.split(separator: "/").last.map(String.init) ?? name, kind: kind)
        rule.category = r["category"]?.stringValue ?? rule.category
        let d = r["destination"]
        switch kind {
        case .fqdn: rule.fqdn = text(d, path + ".destination")
        case .privateEndpoint:
            rule.serviceResourceID = rid(d?["serviceResourceId"], path + ".destination.serviceResourceId")
            rule.subresourceTarget = d?["subresourceTarget"]?.stringValue
            rule.sparkEnabled = bool(d?["sparkEnabled"], path + ".destination.sparkEnabled") ?? false
        case .serviceTag:
            rule.serviceTag = d?["serviceTag"]?.stringValue
            rule.serviceTagProtocol = d?["protocol"]?.stringValue
            rule.portRanges = d?["portRanges"]?.stringValue
            rule.action = d?["action"]?.stringValue ?? rule.action
        }
        return rule
    }

    func compute(_ raw: RawResource, _ id: ResourceID, _ p: ARMValue) {
        var c = MachineLearningCompute(id: id)
        common(&c, raw)
        c.computeType = p["computeType"]?.stringValue ?? c.computeType
        let inner = p["properties"] ?? .null
        c.vmSize = inner["vmSize"]?.stringValue ?? c.vmSize
        c.subnet = rid(inner["subnet"], "properties.properties.subnet")
        c.enableNodePublicIP = bool(inner["enableNodePublicIp"], "properties.properties.enableNodePublicIp") ?? true
        c.minNodes = int(inner["scaleSettings"]?["minNodeCount"], "properties.properties.scaleSettings.minNodeCount") ?? c.minNodes
        c.maxNodes = int(inner["scaleSettings"]?["maxNodeCount"], "properties.properties.scaleSettings.maxNodeCount") ?? c.maxNodes
        c.nodeIdleTimeBeforeScaleDown = inner["scaleSettings"]?["nodeIdleTimeBeforeScaleDown"]?.stringValue
        c.remoteLoginPortPublicAccess = inner["remoteLoginPortPublicAccess"]?.stringValue ?? c.remoteLoginPortPublicAccess
        c.assignedUserObjectID = text(inner["personalComputeInstanceSettings"]?["assignedUser"]?["objectId"], "properties.properties.personalComputeInstanceSettings")
        c.disableLocalAuth = bool(p["disableLocalAuth"], "properties.disableLocalAuth") ?? false
        c.identity = identity(raw.body["identity"])
        graph.insert(c)
    }

    func networkACLs(_ v: ARMValue?, _ path: String) -> NetworkACLs {
        guard let v, v != .null else { return NetworkACLs() }
        var acl = NetworkACLs(defaultAction: enumValue(v["defaultAction"], path + ".defaultAction") ?? .allow)
        if let bypass = v["bypass"]?.stringValue {
            acl.bypass = bypass.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty && $0 != "None" }
        }
        acl.ipRules = array(v["ipRules"]).compactMap { $0["value"]?.stringValue ?? $0.stringValue }
        acl.virtualNetworkRules = array(v["virtualNetworkRules"]).enumerated().compactMap { rid($0.element, "\(path).virtualNetworkRules[\($0.offset)]") }
        acl.resourceAccessRules = array(v["resourceAccessRules"]).compactMap {
            guard let t = $0["tenantId"]?.stringValue, let r = $0["resourceId"]?.stringValue else { return nil }
            return ResourceAccessRule(tenantID: t, resourceID: r)
        }
        return acl
    }

    func diagnosticSetting(_ raw: RawResource, _ id: ResourceID, _ p: ARMValue) {
        let text = id.rawValue
        guard let r = text.range(of: "/providers/Microsoft.Insights/diagnosticSettings/", options: [.caseInsensitive, .backwards]) else {
            return opaque(raw, id)
        }
        let target = ResourceID(String(text[..<r.lowerBound]))
        var d = DiagnosticSetting(name: String(text[r.upperBound...]), target: target, workspace: rid(p["workspaceId"], "properties.workspaceId"))
        d.source = raw.source
        let logs = array(p["logs"]).filter { $0["enabled"] != .bool(false) }
        d.logCategories = logs.compactMap { $0["category"]?.stringValue ?? $0["categoryGroup"]?.stringValue }
        d.allMetrics = array(p["metrics"]).contains { $0["enabled"] == .bool(true) }
        graph.insert(d)
    }

    func roleAssignment(_ raw: RawResource, _ id: ResourceID, _ p: ARMValue) {
        let text = id.rawValue
        guard let r = text.range(of: "/providers/Microsoft.Authorization/roleAssignments/", options: [.caseInsensitive, .backwards]) else {
            return opaque(raw, id)
        }
        let scope = ResourceID(String(text[..<r.lowerBound]))
        var a = RoleAssignment(name: String(text[r.upperBound...]), scope: scope,
                               roleDefinitionID: self.text(p["roleDefinitionId"], "properties.roleDefinitionId") ?? "")
        a.source = raw.source
        a.principalObjectID = p["principalId"]?.stringValue
        if case .unknown(let why)? = p["principalId"] {
            a.principal = principalResource(why)
        }
        a.principalType = p["principalType"]?.stringValue ?? a.principalType
        graph.insert(a)
    }

    /// `reference(x).principalId` (or `.identity.principalId`) of a resource in the template: that resource's identity.
    private func principalResource(_ why: String) -> ResourceID? {
        guard why.hasPrefix("reference('/"), why.hasSuffix("').principalId"), let end = why.range(of: "')") else { return nil }
        return ResourceID(String(why[why.index(why.startIndex, offsetBy: 11)..<end.lowerBound]))
    }
}
