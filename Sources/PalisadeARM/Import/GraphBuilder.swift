import Foundation
import PalisadeModel

/// Builds the graph from raw resources, one type at a time; records a warning for every value it cannot resolve.
final class GraphBuilder {
    var graph = ResourceGraph()
    var diagnostics: [Diagnostic] = []
    private var current: RawResource?

    // MARK: Value helpers

    func warn(_ message: String, _ path: String) {
        var location = current?.source
        if let existing = location?.path { location?.path = existing + "." + path } else { location?.path = path }
        diagnostics.append(Diagnostic(.warning, code: "arm.import-unresolved",
                                      "\(current?.type ?? "resource") '\(current?.name ?? "?")': \(message)",
                                      fix: "supply the parameter values this depends on, or accept the conservative reading",
                                      at: location))
    }

    func text(_ v: ARMValue?, _ path: String) -> String? {
        guard let v else { return nil }
        switch v {
        case .string(let s): return s
        case .int(let i): return String(i)
        case .bool(let b): return b ? "true" : "false"
        case .null: return nil
        case .unknown(let why):
            warn("\(path) is only known at deployment time (\(why))", path)
            return nil
        case .secret:
            warn("\(path) is a secret value", path)
            return nil
        default: return nil
        }
    }

    func bool(_ v: ARMValue?, _ path: String) -> Bool? {
        guard let v else { return nil }
        switch v {
        case .bool(let b): return b
        case .string(let s): return s.lowercased() == "true" ? true : (s.lowercased() == "false" ? false : nil)
        case .unknown: _ = text(v, path); return nil
        default: return nil
        }
    }

    func int(_ v: ARMValue?, _ path: String) -> Int? {
        guard let v else { return nil }
        switch v {
        case .int(let i): return Int(i)
        case .string(let s): return Int(s)
        case .unknown: _ = text(v, path); return nil
        default: return nil
        }
    }

    /// A resource ID from a string or an `{ "id": … }` object.
    func rid(_ v: ARMValue?, _ path: String) -> ResourceID? {
        guard let v else { return nil }
        if case .object = v { return rid(v["id"], path + ".id") }
        guard let s = text(v, path), !s.isEmpty else { return nil }
        return ResourceID(s)
    }

    func array(_ v: ARMValue?) -> [ARMValue] { v?.arrayValue ?? [] }

    func strings(_ v: ARMValue?, _ path: String) -> [String] {
        switch v {
        case .array(let a)?: return a.enumerated().compactMap { text($0.element, "\(path)[\($0.offset)]") }
        case .string(let s)?: return [s]
        case .unknown?: _ = text(v, path); return []
        default: return []
        }
    }

    func enumValue<T: RawRepresentable & CaseIterable>(_ v: ARMValue?, _ path: String, as: T.Type = T.self) -> T? where T.RawValue == String {
        guard let s = text(v, path) else { return nil }
        if let match = T.allCases.first(where: { $0.rawValue.lowercased() == s.lowercased() }) { return match }
        warn("\(path) has unexpected value '\(s)'", path)
        return nil
    }

    func address(_ v: ARMValue?, _ path: String) -> IPv4Address? {
        guard let s = text(v, path), !s.isEmpty else { return nil }
        if let a = IPv4Address(s) { return a }
        warn("\(path) '\(s)' is not an IPv4 address", path)
        return nil
    }

    func prefixes(_ values: [ARMValue], _ path: String) -> [IPv4Prefix] {
        var out: [IPv4Prefix] = []
        for (i, v) in values.enumerated() {
            guard let s = text(v, "\(path)[\(i)]") else { continue }
            guard let parsed = IPv4Prefix.parse(s) else {
                if !s.contains(":") { warn("\(path)[\(i)] '\(s)' is not an IPv4 prefix", path) }
                continue
            }
            if !parsed.hostBitsZero { warn("\(path)[\(i)] '\(s)' has host bits set; read as \(parsed.prefix)", path) }
            out.append(parsed.prefix)
        }
        return out
    }

    func tags(_ body: ARMValue) -> [String: String] {
        var out: [String: String] = [:]
        for e in body["tags"]?.objectValue?.entries ?? [] { if let s = e.value.stringValue { out[e.key] = s } }
        return out
    }

    func identity(_ v: ARMValue?) -> ManagedIdentity {
        guard let v, let type = v["type"]?.stringValue?.lowercased() else { return .none }
        let users = (v["userAssignedIdentities"]?.objectValue?.keys ?? []).map { ResourceID($0) }
        return ManagedIdentity(systemAssigned: type.contains("systemassigned"), userAssigned: type.contains("userassigned") ? users : [])
    }

    func enablement(_ v: ARMValue?, _ path: String) -> EnablementState? { enumValue(v, path, as: EnablementState.self) }

    func secret(_ v: ARMValue?, _ path: String) -> SecretValue? {
        switch v {
        case .secret(let s)?: return s
        case .string?: return .redactedLiteral
        case .unknown?: return .generated(length: 0)
        default: return nil
        }
    }

    func common<T: AzureResource>(_ r: inout T, _ raw: RawResource) {
        r.location = raw.body["location"]?.stringValue ?? r.location
        r.tags = tags(raw.body)
        r.source = raw.source
    }

    /// Waivers written in a resource's `metadata`: `{"palisade": {"waivers": [{"rule": ID, "reason": "..."}]}}`
    /// (the ARM form of a spec's `waivers:`; see README). Each applies to the resource it is written on.
    func waivers(_ raw: RawResource, _ id: ResourceID) {
        guard let entries = raw.body["metadata"]?["palisade"]?["waivers"]?.arrayValue else { return }
        for (index, entry) in entries.enumerated() {
            guard let rule = entry["rule"]?.stringValue, let reason = entry["reason"]?.stringValue, !reason.isEmpty else {
                diagnostics.append(Diagnostic(.warning, code: "arm.waiver", "waiver \(index) on '\(id.name)' needs a rule and a reason",
                                              fix: "write {\"rule\": \"<rule id>\", \"reason\": \"why it is accepted\"}",
                                              at: raw.location(of: "metadata.palisade.waivers[\(index)]")))
                continue
            }
            graph.waivers.append(Waiver(ruleID: rule, resource: id.rawValue, reason: reason,
                                        source: raw.location(of: "metadata.palisade.waivers[\(index)]")))
        }
    }

    // MARK: Dispatch

    /// Placeholder strings of parameters without a value: stand-ins, not data to validate.
    var placeholders: Set<String> = []
    /// Resource IDs added so far, when duplicates are errors (resource exports: Azure never lists one twice).
    var seenIDs: [String: SourceLocation?]? = nil

    /// Reports array members of one resource that share a name (subnets, rules, routes): Azure rejects the
    /// request, and reading it would let the last one silently win.
    func checkUniqueNames(_ items: [ARMValue], _ path: String, what: String, _ raw: RawResource) {
        var seen: [String: Int] = [:]
        for (i, item) in items.enumerated() {
            guard let name = item["name"]?.stringValue else { continue }
            if let first = seen[name.lowercased()] {
                diagnostics.append(Diagnostic(.error, code: "arm.duplicate-name",
                                              "\(what) '\(name)' appears twice in '\(raw.name)' (\(path)[\(first)] and \(path)[\(i)]); Azure rejects the request",
                                              fix: "give each \(what) a unique name", at: raw.location(of: "\(path)[\(i)]")))
            } else {
                seen[name.lowercased()] = i
            }
        }
    }

    func add(_ raw: RawResource) {
        current = raw
        defer { current = nil }
        if var seen = seenIDs {
            let key = raw.id.lowercased()
            if let first = seen[key] {
                let at = first.map { " (first at \($0.file):\($0.line ?? 0))" } ?? ""
                diagnostics.append(Diagnostic(.error, code: "arm.duplicate-resource", "'\(raw.id)' is listed twice\(at); only one resource can have an ID",
                                              fix: "remove the duplicate", at: raw.source))
                return
            }
            seen[key] = raw.source
            seenIDs = seen
        }
        let id = ResourceID(raw.id)
        waivers(raw, id)
        let p = raw.properties
        switch raw.type.lowercased() {
        case "microsoft.network/virtualnetworks": virtualNetwork(raw, id, p)
        case "microsoft.network/virtualnetworks/subnets": graph.insert(subnet(id: id, p, raw))
        case "microsoft.network/virtualnetworks/virtualnetworkpeerings":
            guard let parent = id.parent, var vnet = graph.resource(parent, as: VirtualNetwork.self),
                  let peering = peering(name: id.name, p, "properties") else { return opaque(raw, id) }
            vnet.peerings.append(peering)
            graph.insert(vnet)
        case "microsoft.network/networksecuritygroups":
            var nsg = NetworkSecurityGroup(id: id)
            common(&nsg, raw)
            checkUniqueNames(array(p["securityRules"]), "properties.securityRules", what: "security rule", raw)
            nsg.securityRules = array(p["securityRules"]).enumerated().compactMap {
                securityRule(name: $0.element["name"]?.stringValue ?? "rule\($0.offset)", $0.element["properties"] ?? .null,
                             "properties.securityRules[\($0.offset)].properties")
            }
            graph.insert(nsg)
        case "microsoft.network/networksecuritygroups/securityrules":
            guard let parent = id.parent, var nsg = graph.resource(parent, as: NetworkSecurityGroup.self),
                  let rule = securityRule(name: id.name, p, "properties") else { return opaque(raw, id) }
            nsg.securityRules.append(rule)
            graph.insert(nsg)
        case "microsoft.network/applicationsecuritygroups":
            var asg = ApplicationSecurityGroup(id: id)
            common(&asg, raw)
            graph.insert(asg)
        case "microsoft.network/routetables":
            var table = RouteTable(id: id)
            common(&table, raw)
            table.disableBgpRoutePropagation = bool(p["disableBgpRoutePropagation"], "properties.disableBgpRoutePropagation") ?? false
            checkUniqueNames(array(p["routes"]), "properties.routes", what: "route", raw)
            table.routes = array(p["routes"]).enumerated().compactMap {
                route(name: $0.element["name"]?.stringValue ?? "route\($0.offset)", $0.element["properties"] ?? .null, "properties.routes[\($0.offset)]")
            }
            graph.insert(table)
        case "microsoft.network/routetables/routes":
            guard let parent = id.parent, var table = graph.resource(parent, as: RouteTable.self),
                  let r = route(name: id.name, p, "properties") else { return opaque(raw, id) }
            table.routes.append(r)
            graph.insert(table)
        case "microsoft.network/publicipaddresses":
            var pip = PublicIPAddress(id: id)
            common(&pip, raw)
            pip.sku = raw.body["sku"]?["name"]?.stringValue ?? "Basic"
            pip.allocationMethod = p["publicIPAllocationMethod"]?.stringValue ?? (pip.sku.lowercased() == "standard" ? "Static" : "Dynamic")
            pip.ipAddress = address(p["ipAddress"], "properties.ipAddress")
            let zones = strings(raw.body["zones"], "zones")
            pip.zones = zones.isEmpty ? nil : zones
            graph.insert(pip)
        case "microsoft.network/networkinterfaces":
            var nic = NetworkInterface(id: id)
            common(&nic, raw)
            nic.ipConfigurations = ipConfigurations(p["ipConfigurations"], "properties.ipConfigurations")
            nic.networkSecurityGroup = rid(p["networkSecurityGroup"], "properties.networkSecurityGroup")
            nic.enableIPForwarding = bool(p["enableIPForwarding"], "properties.enableIPForwarding") ?? false
            graph.insert(nic)
        case "microsoft.compute/virtualmachines": virtualMachine(raw, id, p)
        case "microsoft.network/bastionhosts":
            var b = BastionHost(id: id)
            common(&b, raw)
            b.sku = raw.body["sku"]?["name"]?.stringValue ?? "Basic"
            b.ipConfigurations = ipConfigurations(p["ipConfigurations"], "properties.ipConfigurations")
            b.enableTunneling = bool(p["enableTunneling"], "properties.enableTunneling") ?? false
            graph.insert(b)
        case "microsoft.network/virtualnetworkgateways":
            var g = VirtualNetworkGateway(id: id)
            common(&g, raw)
            g.gatewayType = p["gatewayType"]?.stringValue ?? g.gatewayType
            g.vpnType = p["vpnType"]?.stringValue ?? g.vpnType
            g.sku = p["sku"]?["name"]?.stringValue ?? raw.body["sku"]?["name"]?.stringValue ?? g.sku
            g.ipConfigurations = ipConfigurations(p["ipConfigurations"], "properties.ipConfigurations")
            g.enableBgp = bool(p["enableBgp"], "properties.enableBgp") ?? false
            if let vpn = p["vpnClientConfiguration"]?.objectValue {
                var c = VpnClientConfiguration(addressPool: prefixes(array(vpn["vpnClientAddressPool"]?["addressPrefixes"]), "properties.vpnClientConfiguration.vpnClientAddressPool"))
                if let protocols = vpn["vpnClientProtocols"] { c.protocols = strings(protocols, "properties.vpnClientConfiguration.vpnClientProtocols") }
                if let auth = vpn["vpnAuthenticationTypes"] { c.authenticationTypes = strings(auth, "properties.vpnClientConfiguration.vpnAuthenticationTypes") }
                c.rootCertificates = array(vpn["vpnClientRootCertificates"]).enumerated().map { i, entry in
                    let data = entry["properties"]?["publicCertData"]?.stringValue
                    if let data, !placeholders.contains(data), !VpnRootCertificate.isCertificateData(data) {
                        // The gateway expects the root certificate's DER bytes in base64, without PEM armour:
                        // https://learn.microsoft.com/azure/vpn-gateway/vpn-gateway-certificates-point-to-site
                        diagnostics.append(Diagnostic(.error, code: "arm.vpn-root-certificate",
                                                      "root certificate '\(entry["name"]?.stringValue ?? "")' publicCertData is not a base64-encoded DER certificate",
                                                      fix: "give the certificate's base64 DER body (the lines between the PEM BEGIN/END markers, joined)",
                                                      at: raw.location(of: "properties.vpnClientConfiguration.vpnClientRootCertificates[\(i)].properties.publicCertData")))
                    }
                    return VpnRootCertificate(name: entry["name"]?.stringValue ?? "", publicCertData: data)
                }
                g.vpnClientConfiguration = c
            }
            graph.insert(g)
        case "microsoft.network/natgateways":
            var n = NatGateway(id: id)
            common(&n, raw)
            n.publicIPAddresses = array(p["publicIpAddresses"]).enumerated().compactMap { rid($0.element, "properties.publicIpAddresses[\($0.offset)]") }
            graph.insert(n)
        case "microsoft.network/azurefirewalls": azureFirewall(raw, id, p)
        case "microsoft.network/firewallpolicies": firewallPolicy(raw, id, p)
        case "microsoft.network/firewallpolicies/rulecollectiongroups":
            guard let parent = id.parent, var policy = graph.resource(parent, as: FirewallPolicy.self) else { return opaque(raw, id) }
            policy.ruleCollectionGroups.append(FirewallRuleCollectionGroup(
                name: id.name, priority: int(p["priority"], "properties.priority") ?? 0,
                ruleCollections: array(p["ruleCollections"]).enumerated().compactMap { policyCollection($0.element, "properties.ruleCollections[\($0.offset)]") }))
            graph.insert(policy)
        case "microsoft.network/ipgroups":
            var g = IPGroup(id: id)
            common(&g, raw)
            g.ipAddresses = strings(p["ipAddresses"], "properties.ipAddresses")
            graph.insert(g)
        case "microsoft.network/privateendpoints": privateEndpoint(raw, id, p)
        case "microsoft.network/privateendpoints/privatednszonegroups":
            guard let parent = id.parent, var pe = graph.resource(parent, as: PrivateEndpoint.self) else { return opaque(raw, id) }
            pe.privateDnsZoneGroup = PrivateDnsZoneGroup(name: id.name, zones: array(p["privateDnsZoneConfigs"]).enumerated().compactMap {
                rid($0.element["properties"]?["privateDnsZoneId"], "properties.privateDnsZoneConfigs[\($0.offset)].properties.privateDnsZoneId")
            })
            graph.insert(pe)
        case "microsoft.network/privatednszones":
            var z = PrivateDnsZone(id: id)
            common(&z, raw)
            graph.insert(z)
        case "microsoft.network/privatednszones/a", "microsoft.network/privatednszones/cname":
            guard let parent = id.parent, var zone = graph.resource(parent, as: PrivateDnsZone.self) else { return opaque(raw, id) }
            var set: DnsRecordSet
            if raw.type.lowercased().hasSuffix("/a") {
                set = DnsRecordSet(name: id.name, aRecords: array(p["aRecords"]).enumerated().compactMap {
                    address($0.element["ipv4Address"], "properties.aRecords[\($0.offset)].ipv4Address")
                })
            } else {
                set = DnsRecordSet(name: id.name, type: "CNAME")
                set.cname = text(p["cnameRecord"]?["cname"], "properties.cnameRecord.cname")
            }
            set.ttl = int(p["ttl"], "properties.ttl") ?? 3600
            zone.recordSets.append(set)
            graph.insert(zone)
        case "microsoft.network/privatednszones/virtualnetworklinks":
            guard let parent = id.parent, var zone = graph.resource(parent, as: PrivateDnsZone.self),
                  let vnet = rid(p["virtualNetwork"], "properties.virtualNetwork") else { return opaque(raw, id) }
            var link = VirtualNetworkLink(name: id.name, virtualNetwork: vnet)
            link.registrationEnabled = bool(p["registrationEnabled"], "properties.registrationEnabled") ?? false
            link.resolutionPolicy = p["resolutionPolicy"]?.stringValue ?? "Default"
            zone.virtualNetworkLinks.append(link)
            graph.insert(zone)
        case "microsoft.network/serviceendpointpolicies":
            var policy = ServiceEndpointPolicy(id: id)
            common(&policy, raw)
            policy.definitions = array(p["serviceEndpointPolicyDefinitions"]).map {
                var d = ServiceEndpointPolicyDefinition(name: $0["name"]?.stringValue ?? "",
                                                        serviceResources: strings($0["properties"]?["serviceResources"], "serviceResources"))
                d.service = $0["properties"]?["service"]?.stringValue ?? d.service
                return d
            }
            graph.insert(policy)
        case "microsoft.machinelearningservices/workspaces": workspace(raw, id, p)
        case "microsoft.machinelearningservices/workspaces/outboundrules":
            guard let parent = id.parent, var ws = graph.resource(parent, as: MachineLearningWorkspace.self),
                  let rule = outboundRule(name: id.name, p, "properties") else { return opaque(raw, id) }
            ws.managedNetwork.outboundRules.append(rule)
            graph.insert(ws)
        case "microsoft.machinelearningservices/workspaces/computes": compute(raw, id, p)
        case "microsoft.storage/storageaccounts":
            var s = StorageAccount(id: id)
            common(&s, raw)
            s.kind = raw.body["kind"]?.stringValue ?? s.kind
            s.sku = raw.body["sku"]?["name"]?.stringValue ?? s.sku
            s.publicNetworkAccess = enablement(p["publicNetworkAccess"], "properties.publicNetworkAccess")
            s.allowBlobPublicAccess = bool(p["allowBlobPublicAccess"], "properties.allowBlobPublicAccess") ?? false
            s.allowSharedKeyAccess = bool(p["allowSharedKeyAccess"], "properties.allowSharedKeyAccess") ?? true
            s.minimumTLSVersion = p["minimumTlsVersion"]?.stringValue ?? s.minimumTLSVersion
            s.httpsOnly = bool(p["supportsHttpsTrafficOnly"], "properties.supportsHttpsTrafficOnly") ?? true
            s.isHnsEnabled = bool(p["isHnsEnabled"], "properties.isHnsEnabled") ?? false
            s.networkACLs = networkACLs(p["networkAcls"], "properties.networkAcls")
            graph.insert(s)
        case "microsoft.keyvault/vaults":
            var k = KeyVault(id: id)
            common(&k, raw)
            k.sku = p["sku"]?["name"]?.stringValue ?? k.sku
            k.tenantID = text(p["tenantId"], "properties.tenantId")
            k.enableRbacAuthorization = bool(p["enableRbacAuthorization"], "properties.enableRbacAuthorization") ?? false
            k.enablePurgeProtection = bool(p["enablePurgeProtection"], "properties.enablePurgeProtection") ?? false
            k.enableSoftDelete = bool(p["enableSoftDelete"], "properties.enableSoftDelete") ?? true
            k.softDeleteRetentionInDays = int(p["softDeleteRetentionInDays"], "properties.softDeleteRetentionInDays") ?? 90
            k.publicNetworkAccess = enablement(p["publicNetworkAccess"], "properties.publicNetworkAccess")
            k.networkACLs = networkACLs(p["networkAcls"], "properties.networkAcls")
            graph.insert(k)
        case "microsoft.keyvault/vaults/secrets":
            var s = KeyVaultSecret(id: id)
            common(&s, raw)
            if let v = secret(p["value"], "properties.value") { s.value = v }
            s.contentType = p["contentType"]?.stringValue
            graph.insert(s)
        case "microsoft.containerregistry/registries":
            var c = ContainerRegistry(id: id)
            common(&c, raw)
            c.sku = raw.body["sku"]?["name"]?.stringValue ?? c.sku
            c.adminUserEnabled = bool(p["adminUserEnabled"], "properties.adminUserEnabled") ?? false
            c.publicNetworkAccess = enablement(p["publicNetworkAccess"], "properties.publicNetworkAccess")
            c.networkRuleDefaultAction = enumValue(p["networkRuleSet"]?["defaultAction"], "properties.networkRuleSet.defaultAction") ?? .allow
            c.ipRules = array(p["networkRuleSet"]?["ipRules"]).compactMap { $0["value"]?.stringValue ?? $0.stringValue }
            c.networkRuleBypassOptions = p["networkRuleBypassOptions"]?.stringValue ?? c.networkRuleBypassOptions
            c.dataEndpointEnabled = bool(p["dataEndpointEnabled"], "properties.dataEndpointEnabled") ?? false
            graph.insert(c)
        case "microsoft.cognitiveservices/accounts":
            var c = CognitiveServicesAccount(id: id)
            common(&c, raw)
            c.kind = raw.body["kind"]?.stringValue ?? c.kind
            c.sku = raw.body["sku"]?["name"]?.stringValue ?? c.sku
            c.customSubDomainName = text(p["customSubDomainName"], "properties.customSubDomainName")
            // Azure's default for publicNetworkAccess is Enabled when the property is absent.
            c.publicNetworkAccess = enablement(p["publicNetworkAccess"], "properties.publicNetworkAccess") ?? .enabled
            c.disableLocalAuth = bool(p["disableLocalAuth"], "properties.disableLocalAuth") ?? false
            graph.insert(c)
        case "microsoft.insights/components":
            var a = ApplicationInsights(id: id)
            common(&a, raw)
            a.applicationType = p["Application_Type"]?.stringValue ?? a.applicationType
            a.workspace = rid(p["WorkspaceResourceId"], "properties.WorkspaceResourceId")
            a.publicNetworkAccessForIngestion = enablement(p["publicNetworkAccessForIngestion"], "properties.publicNetworkAccessForIngestion") ?? .enabled
            a.publicNetworkAccessForQuery = enablement(p["publicNetworkAccessForQuery"], "properties.publicNetworkAccessForQuery") ?? .enabled
            graph.insert(a)
        case "microsoft.operationalinsights/workspaces":
            var w = LogAnalyticsWorkspace(id: id)
            common(&w, raw)
            w.sku = p["sku"]?["name"]?.stringValue ?? w.sku
            w.retentionInDays = int(p["retentionInDays"], "properties.retentionInDays") ?? w.retentionInDays
            w.publicNetworkAccessForIngestion = enablement(p["publicNetworkAccessForIngestion"], "properties.publicNetworkAccessForIngestion") ?? .enabled
            w.publicNetworkAccessForQuery = enablement(p["publicNetworkAccessForQuery"], "properties.publicNetworkAccessForQuery") ?? .enabled
            graph.insert(w)
        case "microsoft.insights/privatelinkscopes":
            var s = MonitorPrivateLinkScope(id: id)
            common(&s, raw)
            s.ingestionAccessMode = p["accessModeSettings"]?["ingestionAccessMode"]?.stringValue ?? s.ingestionAccessMode
            s.queryAccessMode = p["accessModeSettings"]?["queryAccessMode"]?.stringValue ?? s.queryAccessMode
            graph.insert(s)
        case "microsoft.insights/privatelinkscopes/scopedresources":
            guard let parent = id.parent, var scope = graph.resource(parent, as: MonitorPrivateLinkScope.self),
                  let linked = rid(p["linkedResourceId"], "properties.linkedResourceId") else { return opaque(raw, id) }
            scope.scopedResources.append(linked)
            graph.insert(scope)
        case "microsoft.insights/diagnosticsettings": diagnosticSetting(raw, id, p)
        case "microsoft.managedidentity/userassignedidentities":
            var u = UserAssignedIdentity(id: id)
            common(&u, raw)
            graph.insert(u)
        case "microsoft.authorization/roleassignments": roleAssignment(raw, id, p)
        case "microsoft.resources/resourcegroups":
            var g = ResourceGroup(id: id)
            common(&g, raw)
            graph.insert(g)
        default:
            if raw.type.lowercased().hasSuffix("/providers/diagnosticsettings") { return diagnosticSetting(raw, id, p) }
            if platform(raw, id, p) { return }
            opaque(raw, id)
        }
    }

    /// Fills values Azure assigns deterministically: a firewall's private address is AzureFirewallSubnet's network + 4.
    func deriveReadOnlyProperties() {
        for var firewall in graph.all(AzureFirewall.self) {
            var changed = false
            for (i, config) in firewall.ipConfigurations.enumerated() where config.privateIPAddress == nil {
                guard let subnet = graph.resource(config.subnet, as: Subnet.self), let prefix = subnet.addressPrefixes.first else { continue }
                firewall.ipConfigurations[i].privateIPAddress = prefix.firstAzureUsable
                changed = true
            }
            if changed { graph.insert(firewall) }
        }
    }

    func opaque(_ raw: RawResource, _ id: ResourceID) {
        var o = OpaqueResource(id: id, type: ResourceType(raw.type))
        common(&o, raw)
        o.apiVersion = raw.body["apiVersion"]?.stringValue
        o.properties = raw.properties.jsonValue
        graph.insert(o)
    }
}
