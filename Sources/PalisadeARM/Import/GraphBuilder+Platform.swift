import PalisadeModel

/// The platform's resource types: Azure Virtual Network Manager and Virtual WAN. Child resources are merged
/// into their parent (parents are added first); a child whose parent is missing stays opaque.
extension GraphBuilder {
    /// Adds a platform resource; false when the type is not one of them.
    func platform(_ raw: RawResource, _ id: ResourceID, _ p: ARMValue) -> Bool {
        switch raw.type.lowercased() {
        case "microsoft.network/networkmanagers":
            var m = graph.resource(id, as: NetworkManager.self) ?? NetworkManager(id: id)
            common(&m, raw)
            m.scopeAccesses = strings(p["networkManagerScopeAccesses"], "properties.networkManagerScopeAccesses")
            graph.insert(m)
        case "microsoft.network/networkmanagers/networkgroups":
            guard var m = manager(of: id, raw) else { return true }
            var group = m.networkGroup(id) ?? NetworkGroup(id: id)
            group.memberType = text(p["memberType"], "properties.memberType") ?? group.memberType
            m.networkGroups.removeAll { $0.id == id }
            m.networkGroups.append(group)
            graph.insert(m)
        case "microsoft.network/networkmanagers/networkgroups/staticmembers":
            guard let groupID = id.parent, var m = manager(of: groupID, raw),
                  let index = m.networkGroups.firstIndex(where: { $0.id == groupID }) else { return true }
            if let member = rid(p["resourceId"], "properties.resourceId") { m.networkGroups[index].staticMembers.append(member) }
            graph.insert(m)
        case "microsoft.network/networkmanagers/securityadminconfigurations":
            guard var m = manager(of: id, raw) else { return true }
            if !m.securityAdminConfigurations.contains(where: { $0.id == id }) {
                m.securityAdminConfigurations.append(SecurityAdminConfiguration(id: id))
            }
            graph.insert(m)
        case "microsoft.network/networkmanagers/securityadminconfigurations/rulecollections":
            guard let configID = id.parent, var m = manager(of: configID, raw),
                  let c = m.securityAdminConfigurations.firstIndex(where: { $0.id == configID }) else { return true }
            var collection = AdminRuleCollection(id: id)
            collection.appliesToGroups = array(p["appliesToGroups"]).enumerated().compactMap {
                rid($0.element["networkGroupId"], "properties.appliesToGroups[\($0.offset)].networkGroupId")
            }
            m.securityAdminConfigurations[c].ruleCollections.removeAll { $0.id == id }
            m.securityAdminConfigurations[c].ruleCollections.append(collection)
            graph.insert(m)
        case "microsoft.network/networkmanagers/securityadminconfigurations/rulecollections/rules":
            guard let collectionID = id.parent, let configID = collectionID.parent, var m = manager(of: configID, raw),
                  let c = m.securityAdminConfigurations.firstIndex(where: { $0.id == configID }),
                  let r = m.securityAdminConfigurations[c].ruleCollections.firstIndex(where: { $0.id == collectionID }) else { return true }
            // Only `kind: Custom` rules carry their own match; `Default` rules name a built-in rule set not read here.
            if let kind = raw.body["kind"]?.stringValue, kind.lowercased() != "custom" {
                warn("security admin rule of kind '\(kind)' is not read (only Custom rules are)", "kind")
                return true
            }
            guard let rule = adminRule(name: id.name, p) else { return true }
            m.securityAdminConfigurations[c].ruleCollections[r].rules.append(rule)
            graph.insert(m)
        case "microsoft.network/networkmanagers/connectivityconfigurations":
            guard var m = manager(of: id, raw) else { return true }
            var config = ConnectivityConfiguration(id: id)
            config.topology = enumValue(p["connectivityTopology"], "properties.connectivityTopology") ?? .hubAndSpoke
            config.hubs = array(p["hubs"]).enumerated().compactMap { rid($0.element["resourceId"], "properties.hubs[\($0.offset)].resourceId") }
            config.isGlobal = text(p["isGlobal"], "properties.isGlobal")?.lowercased() == "true"
            config.groups = array(p["appliesToGroups"]).enumerated().compactMap { i, item in
                let at = "properties.appliesToGroups[\(i)]"
                guard let group = rid(item["networkGroupId"], at + ".networkGroupId") else { return nil }
                return .init(networkGroup: group,
                             directlyConnected: text(item["groupConnectivity"], at + ".groupConnectivity")?.lowercased() == "directlyconnected",
                             useHubGateway: text(item["useHubGateway"], at + ".useHubGateway")?.lowercased() == "true",
                             isGlobal: text(item["isGlobal"], at + ".isGlobal")?.lowercased() == "true")
            }
            m.connectivityConfigurations.removeAll { $0.id == id }
            m.connectivityConfigurations.append(config)
            graph.insert(m)
        case "microsoft.network/virtualwans":
            var w = VirtualWAN(id: id)
            common(&w, raw)
            w.wanType = text(p["type"], "properties.type") ?? w.wanType
            w.allowBranchToBranchTraffic = bool(p["allowBranchToBranchTraffic"], "properties.allowBranchToBranchTraffic") ?? true
            graph.insert(w)
        case "microsoft.network/virtualhubs":
            var h = graph.resource(id, as: VirtualHub.self) ?? VirtualHub(id: id)
            common(&h, raw)
            h.virtualWAN = rid(p["virtualWan"], "properties.virtualWan")
            h.addressPrefix = prefixes([p["addressPrefix"]].compactMap { $0 }, "properties.addressPrefix").first
            h.azureFirewall = rid(p["azureFirewall"], "properties.azureFirewall")
            graph.insert(h)
        case "microsoft.network/virtualhubs/hubvirtualnetworkconnections":
            guard var h = hub(of: id, raw) else { return true }
            guard let remote = rid(p["remoteVirtualNetwork"], "properties.remoteVirtualNetwork") else {
                warn("hub connection without remoteVirtualNetwork is ignored", "properties.remoteVirtualNetwork")
                return true
            }
            var c = HubVirtualNetworkConnection(name: id.name, remoteVirtualNetwork: remote)
            c.enableInternetSecurity = bool(p["enableInternetSecurity"], "properties.enableInternetSecurity") ?? false
            let routing = p["routingConfiguration"]
            let at = "properties.routingConfiguration"
            c.associatedRouteTable = rid(routing?["associatedRouteTable"], at + ".associatedRouteTable")
            if let propagated = routing?["propagatedRouteTables"], propagated != .null {
                if let ids = propagated["ids"], ids != .null {
                    c.propagatedRouteTables = array(ids).enumerated().compactMap { rid($0.element, at + ".propagatedRouteTables.ids[\($0.offset)]") }
                }
                if let labels = propagated["labels"], labels != .null { c.propagatedLabels = strings(labels, at + ".propagatedRouteTables.labels") }
            }
            c.staticRoutes = array(routing?["vnetRoutes"]?["staticRoutes"]).enumerated().map { i, route in
                let r = at + ".vnetRoutes.staticRoutes[\(i)]"
                return HubStaticRoute(name: route["name"]?.stringValue ?? "route\(i + 1)",
                                      addressPrefixes: prefixes(array(route["addressPrefixes"]), r + ".addressPrefixes"),
                                      nextHopIPAddress: address(route["nextHopIpAddress"], r + ".nextHopIpAddress"))
            }
            h.virtualNetworkConnections.removeAll { $0.name.lowercased() == c.name.lowercased() }
            h.virtualNetworkConnections.append(c)
            graph.insert(h)
        case "microsoft.network/virtualhubs/hubroutetables":
            guard var h = hub(of: id, raw) else { return true }
            var table = HubRouteTable(id: id, labels: strings(p["labels"], "properties.labels"))
            table.routes = array(p["routes"]).enumerated().compactMap { i, route in
                let at = "properties.routes[\(i)]"
                let type = route["destinationType"]?.stringValue?.lowercased() ?? "cidr"
                guard type == "cidr" else {
                    warn("hub route of destinationType '\(type)' is not read (only CIDR routes are)", at + ".destinationType")
                    return nil
                }
                guard let next = rid(route["nextHop"], at + ".nextHop") else { return nil }
                return HubRoute(name: route["name"]?.stringValue ?? "route\(i + 1)",
                                destinations: prefixes(array(route["destinations"]), at + ".destinations"), nextHop: next)
            }
            h.routeTables.removeAll { $0.id == id }
            h.routeTables.append(table)
            graph.insert(h)
        case "microsoft.network/virtualhubs/routingintent":
            guard var h = hub(of: id, raw) else { return true }
            h.routingIntent = RoutingIntent(name: id.name, policies: array(p["routingPolicies"]).enumerated().compactMap { i, policy in
                let at = "properties.routingPolicies[\(i)]"
                guard let next = rid(policy["nextHop"], at + ".nextHop") else { return nil }
                let destinations: [RoutingIntent.Policy.Destination] = array(policy["destinations"]).enumerated().compactMap {
                    enumValue($0.element, at + ".destinations[\($0.offset)]")
                }
                return .init(name: policy["name"]?.stringValue ?? "policy\(i + 1)", destinations: destinations, nextHop: next)
            })
            graph.insert(h)
        default:
            return false
        }
        return true
    }

    private func manager(of child: ResourceID, _ raw: RawResource) -> NetworkManager? {
        guard let parent = child.parent, let m = graph.resource(parent, as: NetworkManager.self) else {
            opaque(raw, child)
            return nil
        }
        return m
    }

    private func hub(of child: ResourceID, _ raw: RawResource) -> VirtualHub? {
        guard let parent = child.parent, let h = graph.resource(parent, as: VirtualHub.self) else {
            opaque(raw, child)
            return nil
        }
        return h
    }

    /// A security admin rule's properties (https://learn.microsoft.com/azure/templates/microsoft.network/networkmanagers/securityadminconfigurations/rulecollections/rules).
    func adminRule(name: String, _ p: ARMValue) -> AdminRule? {
        guard let action: AdminRule.Action = enumValue(p["access"], "properties.access"),
              let direction: SecurityRule.Direction = enumValue(p["direction"], "properties.direction") else {
            warn("security admin rule '\(name)' needs access and direction; ignored", "properties")
            return nil
        }
        let protocolText = text(p["protocol"], "properties.protocol") ?? "Any"
        let proto: NetworkProtocol = protocolText.lowercased() == "any" ? .any
            : NetworkProtocol.allCases.first { $0.rawValue.lowercased() == protocolText.lowercased() } ?? {
                warn("protocol '\(protocolText)' is not known; the rule matches nothing", "properties.protocol")
                return .esp
            }()
        func addresses(_ key: String) -> [AdminRule.Address] {
            array(p[key]).enumerated().compactMap { i, item in
                guard let prefix = text(item["addressPrefix"], "properties.\(key)[\(i)].addressPrefix") else { return nil }
                let address = AdminRule.Address.parse(prefix, type: item["addressPrefixType"]?.stringValue)
                if case .unresolved = address { warn("\(key)[\(i)] '\(prefix)' is not an IPv4 prefix; it matches nothing", "properties.\(key)[\(i)]") }
                return address
            }
        }
        func ports(_ key: String) -> PortMatch {
            let texts = strings(p[key], "properties.\(key)")
            if texts.isEmpty { return .any }
            guard let match = PortMatch.parse(texts) else {
                warn("\(key) \(texts) are not ports; read as any port", "properties.\(key)")
                return .any
            }
            return match
        }
        return AdminRule(name: name, priority: int(p["priority"], "properties.priority") ?? 4096, action: action,
                         direction: direction, protocol: proto, sources: addresses("sources"),
                         destinations: addresses("destinations"), sourcePorts: ports("sourcePortRanges"),
                         destinationPorts: ports("destinationPortRanges"))
    }
}
