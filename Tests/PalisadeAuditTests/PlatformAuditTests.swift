import Foundation
import PalisadeARM
import PalisadeModel
import Testing
@testable import PalisadeAudit

/// A platform estate as Azure answers for it: rows Resource Graph returns, the ARM child lists of each parent and what
/// each network manager's `listDeploymentStatus` says.
///
/// Shapes follow the definitions of Microsoft's network REST specification (Azure/azure-rest-api-specs,
/// `specification/network/resource-manager/Microsoft.Network/stable/2024-05-01`): `networkManager.json`
/// (`NetworkManagerDeploymentStatusListResult`: `value` items with `commitTime`, `region`, `deploymentStatus`,
/// `configurationIds`, `deploymentType`, `errorMessage`, and `skipToken`), `networkManagerConnectivityConfiguration.json`
/// (`ConnectivityConfiguration`: a child resource with `properties.connectivityTopology`, `hubs`, `isGlobal`,
/// `appliesToGroups`), the active-configuration results (`ActiveSecurityAdminRulesListResult`,
/// `ActiveConnectivityConfigurationsListResult`: `value` and `skipToken`; items with `id`, `commitTime`, `region`,
/// `kind`, `properties`, `ruleCollectionAppliesToGroups`, `ruleGroups` or `configurationGroups`), and
/// `virtualWan.json`'s `HubVirtualNetworkConnection` (`id`, `name`, `etag`, `properties`; no `type`). Child lists are
/// `{"value": [...]}` like every ARM list.
struct PlatformEstate: @unchecked Sendable {
    static let subscription = Recorded.subscriptionA
    static let group = "rg-platform"
    static let network = Recorded.group(subscription, group) + "/providers/Microsoft.Network"

    /// Resource Graph rows by query batch (`network`, `firewalls`, `platform`).
    var graph: [String: [[String: Any]]] = [:]
    /// ARM list answers by request path (`{parent}/{child type}`).
    var children: [String: [[String: Any]]] = [:]
    /// `listDeploymentStatus` answers by network manager ID, one page each.
    var deployments: [String: [[[String: Any]]]] = [:]
    /// `listActiveSecurityAdminRules` answers by network manager ID, one page each.
    var active: [String: [[[String: Any]]]] = [:]
    /// `listActiveConnectivityConfigurations` answers by network manager ID, one page each.
    var activeConnectivity: [String: [[[String: Any]]]] = [:]

    static func id(_ path: String) -> String { network + "/" + path }

    static func row(_ type: String, _ name: String, location: String = "westeurope", properties: [String: Any]) -> [String: Any] {
        ["id": id("\(type)/\(name)"), "name": name, "type": "microsoft.network/\(type)".lowercased(), "kind": "", "location": location,
         "resourceGroup": group, "subscriptionId": subscription, "tags": [String: Any](), "sku": NSNull(), "identity": NSNull(),
         "zones": NSNull(), "properties": properties]
    }

    /// A child as ARM lists it: `id`, `name`, `type`, `properties` (and `kind` for admin rules).
    static func child(_ parent: String, _ type: String, _ name: String, typeName: String?, kind: String? = nil,
                      properties: [String: Any]) -> [String: Any] {
        var item: [String: Any] = ["id": id("\(parent)/\(type)/\(name)"), "name": name, "etag": "W/\"00000000-0000-0000-0000-000000000000\"",
                                   "properties": properties.merging(["provisioningState": "Succeeded"]) { a, _ in a }]
        if let typeName { item["type"] = typeName }
        if let kind { item["kind"] = kind }
        return item
    }

    static func vnet(_ name: String, _ prefix: String, subnet: String, _ subnetPrefix: String, nsg: String? = nil) -> [String: Any] {
        var subnetProperties: [String: Any] = ["addressPrefix": subnetPrefix, "provisioningState": "Succeeded"]
        if let nsg { subnetProperties["networkSecurityGroup"] = ["id": id("networkSecurityGroups/\(nsg)")] }
        return row("virtualNetworks", name, properties: [
            "addressSpace": ["addressPrefixes": [prefix]], "provisioningState": "Succeeded", "virtualNetworkPeerings": [Any](),
            "subnets": [["name": subnet, "id": id("virtualNetworks/\(name)/subnets/\(subnet)"), "type": "Microsoft.Network/virtualNetworks/subnets",
                         "properties": subnetProperties]],
        ])
    }

    static func nic(_ name: String, vnet: String, subnet: String, ip: String) -> [String: Any] {
        row("networkInterfaces", name, properties: ["ipConfigurations": [[
            "name": "ipconfig1", "id": id("networkInterfaces/\(name)/ipConfigurations/ipconfig1"),
            "properties": ["privateIPAddress": ip, "privateIPAllocationMethod": "Static", "primary": true,
                           "subnet": ["id": id("virtualNetworks/\(vnet)/subnets/\(subnet)")]],
        ]]])
    }

    static func nsg(_ name: String, rules: [(String, Int, String, String, String)]) -> [String: Any] {
        row("networkSecurityGroups", name, properties: ["securityRules": rules.map { rule in
            ["name": rule.0, "id": id("networkSecurityGroups/\(name)/securityRules/\(rule.0)"),
             "properties": ["priority": rule.1, "direction": "Inbound", "access": rule.2, "protocol": "Tcp", "sourceAddressPrefix": rule.3,
                            "sourcePortRange": "*", "destinationAddressPrefix": "*", "destinationPortRange": rule.4]] as [String: Any]
        }, "defaultSecurityRules": [Any]()])
    }

    static func deployment(_ region: String, _ type: String, _ ids: [String], status: String = "Deployed") -> [String: Any] {
        ["commitTime": "2026-11-30T09:00:00Z", "region": region, "deploymentStatus": status, "configurationIds": ids,
         "deploymentType": type, "errorMessage": ""]
    }

    // MARK: Hub and spoke governed by Azure Virtual Network Manager

    static let avnm = "networkManagers/avnm"
    static let spokesGroup = id("\(avnm)/networkGroups/spokes")
    static let baseline = id("\(avnm)/securityAdminConfigurations/baseline")
    static let draft = id("\(avnm)/securityAdminConfigurations/draft")
    static let hubSpoke = id("\(avnm)/connectivityConfigurations/hubspoke")

    /// A hub (jump host 10.0.1.4) and a spoke (VM 10.1.0.4) joined by a hub-and-spoke connectivity configuration. The
    /// spoke's NSG allows SSH and RDP from the hub; the deployed security admin configuration denies SSH to the spokes
    /// before the NSG is consulted. A second configuration denying RDP is defined but committed nowhere.
    /// `editedPort` redefines the SSH rule's port after its commit (the committed rule still says 22).
    static func hubAndSpoke(draftDeployed: Bool = false, editedPort: String? = nil) -> PlatformEstate {
        var e = PlatformEstate()
        e.graph["network"] = [
            vnet("hub", "10.0.0.0/16", subnet: "shared", "10.0.1.0/24"),
            vnet("spoke1", "10.1.0.0/16", subnet: "app", "10.1.0.0/24", nsg: "nsg-app"),
            nsg("nsg-app", rules: [("AllowSshFromHub", 100, "Allow", "10.0.0.0/16", "22"), ("AllowRdpFromHub", 110, "Allow", "10.0.0.0/16", "3389")]),
            nic("nic-jump", vnet: "hub", subnet: "shared", ip: "10.0.1.4"),
            nic("nic-vm1", vnet: "spoke1", subnet: "app", ip: "10.1.0.4"),
        ]
        e.graph["platform"] = [row("networkManagers", "avnm", properties: [
            "networkManagerScopes": ["managementGroups": [Any](), "subscriptions": ["/subscriptions/\(subscription)"]],
            "networkManagerScopeAccesses": ["SecurityAdmin", "Connectivity"], "provisioningState": "Succeeded",
        ])]
        let managerID = id(avnm)
        e.children[managerID + "/networkGroups"] = [child(avnm, "networkGroups", "spokes", typeName: "Microsoft.Network/networkManagers/networkGroups",
                                                          properties: ["description": "Landing zone spokes", "memberType": "VirtualNetwork"])]
        e.children[spokesGroup + "/staticMembers"] = [child("\(avnm)/networkGroups/spokes", "staticMembers", "spoke1",
                                                            typeName: "Microsoft.Network/networkManagers/networkGroups/staticMembers",
                                                            properties: ["resourceId": id("virtualNetworks/spoke1"), "region": "westeurope"])]
        e.children[managerID + "/securityAdminConfigurations"] = ["baseline", "draft"].map {
            child(avnm, "securityAdminConfigurations", $0, typeName: "Microsoft.Network/networkManagers/securityAdminConfigurations",
                  properties: ["description": "", "applyOnNetworkIntentPolicyBasedServices": ["None"]])
        }
        var committed: [[String: Any]] = []
        for (config, collection, rule, port) in [(baseline, "mgmt", "deny-ssh", "22"), (draft, "mgmt", "deny-rdp", "3389")] {
            let configPath = String(config.dropFirst(network.count + 1))
            let ruleProperties: [String: Any] = [
                "description": "", "protocol": "Tcp", "access": "Deny", "priority": 10, "direction": "Inbound",
                "sources": [["addressPrefixType": "IPPrefix", "addressPrefix": "*"]],
                "destinations": [["addressPrefixType": "IPPrefix", "addressPrefix": "*"]], "sourcePortRanges": ["0-65535"]]
            // `ListActiveSecurityAdminRules` items: the rule as committed, with its collection's groups.
            if config == baseline || draftDeployed {
                committed.append(["id": "\(config)/ruleCollections/\(collection)/rules/\(rule)", "commitTime": "2026-11-30T09:00:00Z",
                                  "region": "westeurope", "configurationDescription": "", "ruleCollectionDescription": "",
                                  "ruleCollectionAppliesToGroups": [["networkGroupId": spokesGroup]],
                                  "ruleGroups": [["id": spokesGroup, "properties": ["description": "Landing zone spokes", "memberType": "VirtualNetwork",
                                                                                     "provisioningState": "Succeeded"]]],
                                  "kind": "Custom",
                                  "properties": ruleProperties.merging(["destinationPortRanges": [port], "provisioningState": "Succeeded"]) { a, _ in a }])
            }
            let definedPort = config == baseline ? editedPort ?? port : port
            e.children[config + "/ruleCollections"] = [child(configPath, "ruleCollections", collection,
                                                             typeName: "Microsoft.Network/networkManagers/securityAdminConfigurations/ruleCollections",
                                                             properties: ["description": "", "appliesToGroups": [["networkGroupId": spokesGroup]]])]
            e.children[config + "/ruleCollections/\(collection)/rules"] = [child(
                "\(configPath)/ruleCollections/\(collection)", "rules", rule,
                typeName: "Microsoft.Network/networkManagers/securityAdminConfigurations/ruleCollections/rules", kind: "Custom",
                properties: ruleProperties.merging(["destinationPortRanges": [definedPort]]) { a, _ in a })]
        }
        e.active[managerID] = [committed]
        let hubSpokeProperties: [String: Any] = [
            "description": "", "connectivityTopology": "HubAndSpoke", "isGlobal": "False", "deleteExistingPeering": "True",
            "hubs": [["resourceId": id("virtualNetworks/hub"), "resourceType": "Microsoft.Network/virtualNetworks"]],
            "appliesToGroups": [["networkGroupId": spokesGroup, "useHubGateway": "False", "groupConnectivity": "None", "isGlobal": "False"]]]
        e.children[managerID + "/connectivityConfigurations"] = [child(
            avnm, "connectivityConfigurations", "hubspoke", typeName: "Microsoft.Network/networkManagers/connectivityConfigurations",
            properties: hubSpokeProperties)]
        // `ListActiveConnectivityConfigurations` items: the configuration as committed, with its groups.
        e.activeConnectivity[managerID] = [[[
            "id": hubSpoke, "commitTime": "2026-11-30T09:00:00Z", "region": "westeurope",
            "properties": hubSpokeProperties.merging(["provisioningState": "Succeeded"]) { a, _ in a },
            "configurationGroups": [["id": spokesGroup, "properties": ["description": "Landing zone spokes", "memberType": "VirtualNetwork",
                                                                        "provisioningState": "Succeeded"]]],
        ]]]
        // Two pages: the skipToken of the first goes back in the second request's body.
        e.deployments[managerID] = [
            [deployment("westeurope", "SecurityAdmin", draftDeployed ? [baseline, draft] : [baseline])],
            [deployment("westeurope", "Connectivity", [hubSpoke])],
        ]
        return e
    }

    // MARK: Virtual WAN with a secured hub and routing intent

    static let hub = "virtualHubs/hub-weu"

    /// Two spokes (VMs 10.1.0.4 and 10.2.0.4) connected to a secured virtual hub whose routing intent sends private
    /// traffic through the hub's firewall; the firewall policy allows only HTTPS from spoke1 to spoke2.
    static func virtualWAN(intent: Bool = true) -> PlatformEstate {
        var e = PlatformEstate()
        e.graph["network"] = [
            vnet("spoke1", "10.1.0.0/16", subnet: "app", "10.1.0.0/24"), vnet("spoke2", "10.2.0.0/16", subnet: "app", "10.2.0.0/24"),
            nic("nic-vm1", vnet: "spoke1", subnet: "app", ip: "10.1.0.4"), nic("nic-vm2", vnet: "spoke2", subnet: "app", ip: "10.2.0.4"),
        ]
        e.graph["firewalls"] = [
            row("azureFirewalls", "fw-hub", properties: [
                "sku": ["name": "AZFW_Hub", "tier": "Standard"], "virtualHub": ["id": id(hub)], "firewallPolicy": ["id": id("firewallPolicies/fw-policy")],
                "hubIPAddresses": ["privateIPAddress": "10.100.0.132", "publicIPs": ["count": 1, "addresses": [["address": "20.1.2.3"]]]],
                "provisioningState": "Succeeded",
            ]),
            row("firewallPolicies", "fw-policy", properties: ["sku": ["tier": "Standard"], "threatIntelMode": "Alert"]),
        ]
        e.children[id("firewallPolicies/fw-policy") + "/ruleCollectionGroups"] = [child(
            "firewallPolicies/fw-policy", "ruleCollectionGroups", "spokes", typeName: "Microsoft.Network/firewallPolicies/ruleCollectionGroups",
            properties: ["priority": 100, "ruleCollections": [[
                "ruleCollectionType": "FirewallPolicyFilterRuleCollection", "name": "spoke-to-spoke", "priority": 100, "action": ["type": "Allow"],
                "rules": [["ruleType": "NetworkRule", "name": "https", "ipProtocols": ["TCP"], "sourceAddresses": ["10.1.0.0/16"],
                           "destinationAddresses": ["10.2.0.0/16"], "destinationPorts": ["443"]]],
            ]]])]
        e.graph["platform"] = [
            row("virtualWans", "vwan", properties: ["type": "Standard", "allowBranchToBranchTraffic": true, "disableVpnEncryption": false]),
            row("virtualHubs", "hub-weu", properties: ["addressPrefix": "10.100.0.0/23", "virtualWan": ["id": id("virtualWans/vwan")],
                                                       "azureFirewall": ["id": id("azureFirewalls/fw-hub")], "sku": "Standard",
                                                       "routingState": "Provisioned", "hubRoutingPreference": "ExpressRoute"]),
        ]
        let defaultTable = id("\(hub)/hubRouteTables/defaultRouteTable")
        e.children[id(hub) + "/hubVirtualNetworkConnections"] = ["spoke1", "spoke2"].map {
            child(hub, "hubVirtualNetworkConnections", "conn-\($0)", typeName: nil, properties: [
                "remoteVirtualNetwork": ["id": id("virtualNetworks/\($0)")], "enableInternetSecurity": true,
                "allowHubToRemoteVnetTransit": true, "allowRemoteVnetToUseHubVnetGateways": true,
                "routingConfiguration": ["associatedRouteTable": ["id": defaultTable],
                                         "propagatedRouteTables": ["labels": ["default"], "ids": [["id": defaultTable]]]],
            ])
        }
        e.children[id(hub) + "/hubRouteTables"] = [child(hub, "hubRouteTables", "defaultRouteTable", typeName: "Microsoft.Network/virtualHubs/hubRouteTables",
                                                         properties: ["routes": [Any](), "labels": ["default"]])]
        if intent {
            e.children[id(hub) + "/routingIntent"] = [child(hub, "routingIntent", "hub-weu-intent", typeName: "Microsoft.Network/virtualHubs/routingIntent",
                                                            properties: ["routingPolicies": [
                                                                ["name": "PrivateTrafficPolicy", "destinations": ["PrivateTraffic"], "nextHop": id("azureFirewalls/fw-hub")],
                                                            ]])]
        }
        return e
    }

    // MARK: Serving and comparing

    /// A fake Azure answering for this estate; requests to `listDeploymentStatus` are recorded by the server.
    func server(override: (@Sendable (FakeRequest) -> FakeResponse?)? = nil) throws -> FakeAzure {
        let estate = self
        return try FakeAzure { request in
            if let answer = override?(request) { return answer }
            if Recorded.isGraph(request) {
                let batch = Recorded.batch(of: request)
                let rows = estate.graph[batch == "firewalls" ? "firewalls" : batch] ?? []
                return Recorded.page(rows, total: rows.count)
            }
            for (action, answers) in [("/listDeploymentStatus", estate.deployments), ("/listActiveSecurityAdminRules", estate.active),
                                      ("/listActiveConnectivityConfigurations", estate.activeConnectivity)]
            where request.method == "POST" && request.path.hasSuffix(action) {
                let manager = String(request.path.dropLast(action.count))
                let pages = answers[manager] ?? [[]]
                let index = (request.json["skipToken"] as? String).flatMap { Int($0.dropFirst("page".count)) } ?? 0
                guard index < pages.count else { return Recorded.error(400, code: "InvalidSkipToken", message: "bad token") }
                var body: [String: Any] = ["value": pages[index]]
                if index + 1 < pages.count { body["skipToken"] = "page\(index + 1)" }
                return FakeResponse(status: 200, object: body)
            }
            if request.method == "GET", let items = estate.children[request.path] {
                return FakeResponse(status: 200, object: ["value": items])
            }
            return FakeResponse(status: 200, object: ["value": [Any]()])
        }
    }

    /// Every resource this estate declares (minus `leaving`), as a deployment template: the same properties, children
    /// declared as their own resources (`avnm/spokes`), references written as `resourceId(…)`.
    func template(leaving: [String] = []) throws -> String {
        var resources: [[String: Any]] = []
        let everything = graph.values.flatMap { $0 } + children.values.flatMap { $0 }
        for item in everything {
            let id = item["id"] as! String
            guard !leaving.contains(where: { id == $0 || id.hasPrefix($0 + "/") }) else { continue }
            let key = ResourceDrift.key(ResourceID(id))
            var resource: [String: Any] = ["type": key.type, "apiVersion": "2024-05-01", "name": key.name,
                                           "properties": Self.references(item["properties"] ?? [String: Any]())]
            if let location = item["location"] { resource["location"] = location }
            if let kind = item["kind"] as? String, !kind.isEmpty { resource["kind"] = kind }
            resources.append(resource)
        }
        resources.sort { ($0["type"] as! String, $0["name"] as! String) < ($1["type"] as! String, $1["name"] as! String) }
        let template: [String: Any] = ["$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
                                       "contentVersion": "1.0.0.0", "resources": resources]
        return String(decoding: try JSONSerialization.data(withJSONObject: template, options: [.sortedKeys, .prettyPrinted]), as: UTF8.self)
    }

    /// IDs in this resource group become `[resourceId('Microsoft.Network/t1/t2', 'n1', 'n2')]`.
    static func references(_ value: Any) -> Any {
        if let object = value as? [String: Any] { return object.mapValues(references) }
        if let array = value as? [Any] { return array.map(references) }
        if let text = value as? String, text.hasPrefix(network + "/") {
            let key = ResourceDrift.key(ResourceID(text))
            let names = key.name.split(separator: "/").map { "'\($0)'" }.joined(separator: ", ")
            return "[resourceId('\(key.type)', \(names))]"
        }
        return value
    }
}

/// The verdict of `palisade trace` on a file, as its JSON output gives it.
func traceVerdict(_ file: String, from: String, to: String, port: Int) throws -> (verdict: String, reason: String, text: String) {
    let result = try AuditCommandTests().run(["trace", file, "--from", from, "--to", to, "--port", "\(port)", "--format", "json"],
                                             path: "/usr/bin:/bin")
    let object = (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))) as? [String: Any] ?? [:]
    return (object["verdict"] as? String ?? "(no verdict: \(result.stderr))", object["reason"] as? String ?? "", result.stdout + result.stderr)
}

@Suite struct PlatformAuditTests {
    @Test func everyPlatformTypeIsQueriedFromTheResourcesTable() {
        let platform = ResourceGraphQuery.all.first { $0.label == "platform" }?.text ?? ""
        for type in ["microsoft.network/networkmanagers", "microsoft.network/virtualwans", "microsoft.network/virtualhubs",
                     "microsoft.network/loadbalancers", "microsoft.network/localnetworkgateways", "microsoft.network/connections",
                     "microsoft.network/dnsresolvers", "microsoft.network/dnsforwardingrulesets"] {
            #expect(platform.contains("'\(type)'"), "\(type)")
        }
        #expect(platform.hasPrefix("resources | where type in~"))
        let reads = Set(ChildResourceRead.all.map { $0.parentType + "/" + $0.path.lowercased() })
        for read in ["microsoft.network/networkmanagers/networkgroups", "microsoft.network/networkmanagers/networkgroups/staticmembers",
                     "microsoft.network/networkmanagers/securityadminconfigurations",
                     "microsoft.network/networkmanagers/securityadminconfigurations/rulecollections",
                     "microsoft.network/networkmanagers/securityadminconfigurations/rulecollections/rules",
                     "microsoft.network/networkmanagers/connectivityconfigurations",
                     "microsoft.network/virtualhubs/hubvirtualnetworkconnections", "microsoft.network/virtualhubs/hubroutetables",
                     "microsoft.network/virtualhubs/routingintent"] {
            #expect(reads.contains(read), "\(read)")
        }
    }

    @Test func networkManagerChildrenAreReadLevelByLevelAndUndeployedConfigurationsDropped() async throws {
        let estate = PlatformEstate.hubAndSpoke()
        let server = try estate.server()
        defer { server.stop() }
        let result = await auditor(server).run([.subscription(PlatformEstate.subscription)])
        #expect(result.failures.isEmpty, "\(result.failures)")
        let ids = Set(result.rows.map { $0.id.lowercased() })
        #expect(ids.contains(PlatformEstate.id("networkManagers/avnm/securityAdminConfigurations/baseline/ruleCollections/mgmt/rules/deny-ssh").lowercased()))
        #expect(ids.contains(PlatformEstate.id("networkManagers/avnm/networkGroups/spokes/staticMembers/spoke1").lowercased()))
        #expect(ids.contains(PlatformEstate.hubSpoke.lowercased()))
        // The draft configuration is committed nowhere: neither it nor its collections and rules are kept.
        #expect(!ids.contains { $0.hasPrefix(PlatformEstate.draft.lowercased()) })
        #expect(result.notes.count == 1 && result.notes.first?.contains("'draft'") == true, "\(result.notes)")
        // listDeploymentStatus: asked for the regions of the virtual networks read and both configuration types, two pages.
        let posts = server.requests.filter { $0.path.hasSuffix("/listDeploymentStatus") }
        let active = server.requests.filter { $0.path.hasSuffix("/listActiveSecurityAdminRules") }
        #expect(active.count == 1 && active.first?.json["regions"] as? [String] == ["westeurope"])
        #expect(posts.count == 2)
        #expect(posts.first?.parameter("api-version") == "2024-05-01")
        #expect(posts.first?.json["regions"] as? [String] == ["westeurope"])
        #expect(posts.first?.json["deploymentTypes"] as? [String] == ["SecurityAdmin", "Connectivity"])
        #expect(posts.last?.json["skipToken"] as? String == "page1")
        // The rows convert into one network manager with its children merged.
        let (graph, diagnostics) = SnapshotReader.graph(from: result.rows, file: "audit")
        #expect(!diagnostics.hasErrors, "\(diagnostics.errors)")
        let manager = try #require(graph.all(NetworkManager.self).first)
        #expect(manager.networkGroups.first?.staticMembers.map(\.name) == ["spoke1"])
        #expect(manager.securityAdminConfigurations.map(\.name) == ["baseline"])
        #expect(manager.securityAdminConfigurations.first?.ruleCollections.first?.rules.map(\.name) == ["deny-ssh"])
        #expect(manager.connectivityConfigurations.first?.hubs.map(\.name) == ["hub"])
    }

    @Test func deploymentStatusThatCannotBeReadKeepsEveryConfigurationAndSaysWhy() async throws {
        let estate = PlatformEstate.hubAndSpoke()
        let forbidden = try estate.server { request in
            request.method == "POST" && !Recorded.isGraph(request)
                ? Recorded.error(403, code: "AuthorizationFailed", message: "does not have authorization to perform action "
                                 + "'Microsoft.Network/networkManagers\(request.path.dropFirst(PlatformEstate.id("networkManagers/avnm").count))/action'")
                : nil
        }
        defer { forbidden.stop() }
        let result = await auditor(forbidden).run([.subscription(PlatformEstate.subscription)])
        let manager = PlatformEstate.id("networkManagers/avnm")
        #expect(result.failures.map(\.step) == ["active connectivity configurations of \(manager)", "active security admin rules of \(manager)",
                                                "deployment status of \(manager)"])
        #expect(result.failures.allSatisfy { $0.message.contains("Reader role does not grant") })
        #expect(result.failures[1].message.contains("networkManagers/listActiveSecurityAdminRules/action"))
        #expect(result.rows.contains { $0.id == PlatformEstate.draft })
    }

    @Test func partialAndFailedDeploymentsAreNoted() {
        let statuses = [NetworkManagerDeployment.Status(region: "West Europe", deploymentType: "SecurityAdmin", state: "Deployed", configurationIDs: ["/X/a"]),
                        NetworkManagerDeployment.Status(region: "northeurope", deploymentType: "Connectivity", state: "Failed", configurationIDs: ["/X/b"],
                                                        errorMessage: "hub not found")]
        let decision = NetworkManagerDeployment.decide(configurations: ["/x/A", "/X/b"], statuses: statuses, regions: ["westeurope", "northeurope"])
        #expect(decision.dropped == ["/X/b"])
        #expect(decision.notes.contains { $0.contains("deployed in westeurope but not in northeurope") })
        #expect(decision.notes.contains { $0.contains("Connectivity deployment in northeurope is Failed: hub not found") })
        let everywhere = NetworkManagerDeployment.decide(configurations: ["/x/A"], statuses: statuses, regions: ["westeurope"])
        #expect(everywhere.dropped.isEmpty && everywhere.notes.count == 1)
    }

    @Test func virtualHubChildrenAreReadAndConnectionsWithoutATypeAreTypedFromTheirID() async throws {
        let estate = PlatformEstate.virtualWAN()
        let server = try estate.server()
        defer { server.stop() }
        let result = await auditor(server).run([.subscription(PlatformEstate.subscription)])
        #expect(result.failures.isEmpty, "\(result.failures)")
        #expect(result.rows.filter { $0.type == "microsoft.network/virtualhubs/hubvirtualnetworkconnections" }.count == 2)
        let (graph, diagnostics) = SnapshotReader.graph(from: result.rows, file: "audit")
        #expect(!diagnostics.hasErrors, "\(diagnostics.errors)")
        let hub = try #require(graph.all(VirtualHub.self).first)
        #expect(hub.virtualNetworkConnections.map(\.name).sorted() == ["conn-spoke1", "conn-spoke2"])
        #expect(hub.routeTables.map(\.name) == ["defaultRouteTable"])
        #expect(hub.routingIntent?.nextHop(for: .privateTraffic)?.name == "fw-hub")
        #expect(graph.all(VirtualWAN.self).count == 1)
        // No network manager, so no deployment status is asked for.
        #expect(!server.requests.contains { $0.path.hasSuffix("/listDeploymentStatus") })
    }

    /// The audit of a live hub-and-spoke gives the verdicts of the template that declares what is deployed: the admin
    /// rule denies SSH from the hub before the spoke's NSG allows it; RDP, denied only by the undeployed draft, passes.
    @Test func hubAndSpokeAuditTracesLikeItsTemplate() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let estate = PlatformEstate.hubAndSpoke()
        let server = try estate.server()
        defer { server.stop() }
        let result = await auditor(server).run([.subscription(PlatformEstate.subscription)])
        #expect(result.isComplete, "\(result.failures)")
        let snapshot = directory.path("estate.json")
        try Snapshot.save(result, to: snapshot)
        let template = directory.path("template.json")
        try estate.template(leaving: [PlatformEstate.draft]).write(toFile: template, atomically: true, encoding: .utf8)
        let ssh = (try traceVerdict(snapshot, from: "10.0.1.4", to: "10.1.0.4", port: 22),
                   try traceVerdict(template, from: "10.0.1.4", to: "10.1.0.4", port: 22))
        #expect(ssh.0.verdict == "denied", "\(ssh.0.text)")
        #expect(ssh.0.text.contains("deny-ssh"), "\(ssh.0.text)")
        #expect(ssh.1.verdict == ssh.0.verdict, "\(ssh.1.text)")
        let rdp = (try traceVerdict(snapshot, from: "10.0.1.4", to: "10.1.0.4", port: 3389),
                   try traceVerdict(template, from: "10.0.1.4", to: "10.1.0.4", port: 3389))
        #expect(rdp.0.verdict == "allowed", "\(rdp.0.text)")
        #expect(rdp.1.verdict == rdp.0.verdict, "\(rdp.1.text)")
        // Deployed after all, the draft denies RDP too.
        let committed = PlatformEstate.hubAndSpoke(draftDeployed: true)
        let server2 = try committed.server()
        defer { server2.stop() }
        try Snapshot.save(await auditor(server2).run([.subscription(PlatformEstate.subscription)]), to: directory.path("committed.json"))
        #expect(try traceVerdict(directory.path("committed.json"), from: "10.0.1.4", to: "10.1.0.4", port: 3389).verdict == "denied")
    }

    /// The audit of a Virtual WAN whose hub's routing intent sends private traffic through the firewall gives the
    /// verdicts of its template: HTTPS from spoke1 to spoke2 passes the firewall's rule; SSH is dropped by the firewall.
    @Test func virtualWANAuditTracesLikeItsTemplate() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let estate = PlatformEstate.virtualWAN()
        let server = try estate.server()
        defer { server.stop() }
        let result = await auditor(server).run([.subscription(PlatformEstate.subscription)])
        #expect(result.isComplete, "\(result.failures)")
        let snapshot = directory.path("wan.json")
        try Snapshot.save(result, to: snapshot)
        let template = directory.path("wan-template.json")
        try estate.template().write(toFile: template, atomically: true, encoding: .utf8)
        for (port, expected) in [(443, "allowed"), (22, "denied")] {
            let live = try traceVerdict(snapshot, from: "10.1.0.4", to: "10.2.0.4", port: port)
            let designed = try traceVerdict(template, from: "10.1.0.4", to: "10.2.0.4", port: port)
            #expect(live.verdict == expected, "\(port): \(live.text)")
            #expect(live.text.contains("fw-hub"), "\(port): \(live.text)")
            #expect(designed.verdict == live.verdict, "\(port): \(designed.text)")
        }
        // Without the routing intent the hub routes spoke to spoke directly, and SSH gets through.
        let plain = PlatformEstate.virtualWAN(intent: false)
        let server2 = try plain.server()
        defer { server2.stop() }
        try Snapshot.save(await auditor(server2).run([.subscription(PlatformEstate.subscription)]), to: directory.path("plain.json"))
        #expect(try traceVerdict(directory.path("plain.json"), from: "10.1.0.4", to: "10.2.0.4", port: 22).verdict == "allowed")
    }

    /// A platform snapshot reads back to the graph the rows convert to, notes kept in its header; the drift of the
    /// audited estate against its own template is empty, and a hub without its routing intent is a changed hub.
    @Test func platformSnapshotRoundTripsAndDriftsByTypeAndName() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let estate = PlatformEstate.hubAndSpoke()
        let server = try estate.server()
        defer { server.stop() }
        let result = await auditor(server).run([.subscription(PlatformEstate.subscription)])
        try Snapshot.save(result, to: directory.path("estate.json"))
        let loaded = SnapshotReader.load(directory.path("estate.json"))
        #expect(!loaded.diagnostics.hasErrors, "\(loaded.diagnostics.errors)")
        #expect(loaded.header?.notes == result.notes && loaded.header?.notes?.isEmpty == false)
        let (direct, _) = SnapshotReader.graph(from: result.rows, file: "audit")
        #expect(loaded.graph.all(NetworkManager.self).map(\.securityAdminConfigurations) == direct.all(NetworkManager.self).map(\.securityAdminConfigurations))
        #expect(loaded.graph.all(NetworkManager.self).first?.connectivityConfigurations.count == 1)
        // Without notes the header has no `notes` key, so snapshots of estates without a network manager are unchanged.
        try Snapshot.save(AuditResult(queriedAt: Date(), scopes: [], rows: [], failures: [], requests: 0, throttled: 0), to: directory.path("empty.json"))
        #expect(!(try String(contentsOfFile: directory.path("empty.json"), encoding: .utf8)).contains("notes"))

        let wan = PlatformEstate.virtualWAN()
        let wanServer = try wan.server()
        defer { wanServer.stop() }
        let (deployed, _) = SnapshotReader.graph(from: await auditor(wanServer).run([.subscription(PlatformEstate.subscription)]).rows, file: "audit")
        try wan.template().write(toFile: directory.path("wan.json"), atomically: true, encoding: .utf8)
        let (designed, diagnostics) = ARMImporter.importFile(directory.path("wan.json"))
        #expect(!diagnostics.hasErrors, "\(diagnostics.errors)")
        let drift = ResourceDrift().compare(design: designed, deployed: deployed)
        #expect(drift.isEmpty, "\(drift.renderText(design: "wan.json"))")
        let plainServer = try PlatformEstate.virtualWAN(intent: false).server()
        defer { plainServer.stop() }
        let (plain, _) = SnapshotReader.graph(from: await auditor(plainServer).run([.subscription(PlatformEstate.subscription)]).rows, file: "audit")
        let missing = ResourceDrift().compare(design: designed, deployed: plain)
        #expect(missing.changed.map(\.name) == ["hub-weu"], "\(missing.renderText(design: "wan.json"))")
        #expect(missing.changed.first?.changes.map(\.property).contains { $0.hasPrefix("routingIntent") } == true)
    }


    /// Through the command: the note about the undeployed configuration is printed and saved.
    @Test func auditCommandPrintsAndSavesNotes() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.fakeAz(stdout: "{\"accessToken\": \"\(fakeJWT)\", \"expires_on\": 4102444800, \"tokenType\": \"Bearer\"}")
        let server = try PlatformEstate.hubAndSpoke().server()
        defer { server.stop() }
        let snapshot = directory.path("estate.json")
        let audit = try AuditCommandTests().run(["audit", "--subscription", PlatformEstate.subscription, "--endpoint", server.url.absoluteString,
                                                 "--save", snapshot, "--retry-time-scale", "0"], path: directory.url.path + ":/usr/bin:/bin")
        #expect(audit.status == 0 || audit.status == 1, "\(audit.stderr)")
        #expect(audit.stderr.contains("note: network manager configuration 'draft'"), "\(audit.stderr)")
        #expect(SnapshotReader.load(snapshot).header?.notes?.count == 1)
    }


    /// A rule edited after its last commit is enforced as committed: the definition now says port 2222, the committed
    /// rule still denies SSH, and the trace follows Azure (`ListActiveSecurityAdminRules`).
    @Test func securityAdminRulesAreReadAsCommitted() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let server = try PlatformEstate.hubAndSpoke(editedPort: "2222").server()
        defer { server.stop() }
        let result = await auditor(server).run([.subscription(PlatformEstate.subscription)])
        #expect(result.isComplete, "\(result.failures)")
        #expect(result.notes.contains { $0.contains("'deny-ssh'") && $0.contains("changed after its last commit") }, "\(result.notes)")
        let (graph, _) = SnapshotReader.graph(from: result.rows, file: "audit")
        let rule = try #require(graph.all(NetworkManager.self).first?.securityAdminConfigurations.first?.ruleCollections.first?.rules.first)
        #expect(rule.destinationPorts == .ranges([PortRange(22)]))
        #expect(graph.all(NetworkManager.self).first?.securityAdminConfigurations.first?.ruleCollections.first?.appliesToGroups.map(\.name) == ["spokes"])
        try Snapshot.save(result, to: directory.path("edited.json"))
        #expect(try traceVerdict(directory.path("edited.json"), from: "10.0.1.4", to: "10.1.0.4", port: 22).verdict == "denied")
        // Committed rows, like defined ones, are one per rule: the two views of the same commit agree.
        let same = ActiveSecurityAdminRules.changes(defined: result.rows, committed: result.rows)
        #expect(same.isEmpty)
    }


    /// A connectivity configuration whose definition lost its group after the last commit still connects the spoke as
    /// committed (`ListActiveConnectivityConfigurations`), and a note says so.
    @Test func connectivityConfigurationsAreReadAsCommitted() async throws {
        var estate = PlatformEstate.hubAndSpoke()
        let path = PlatformEstate.id("networkManagers/avnm") + "/connectivityConfigurations"
        var defined = estate.children[path]![0]
        var properties = defined["properties"] as! [String: Any]
        properties["appliesToGroups"] = [Any]()
        defined["properties"] = properties
        estate.children[path] = [defined]
        let server = try estate.server()
        defer { server.stop() }
        let result = await auditor(server).run([.subscription(PlatformEstate.subscription)])
        #expect(result.isComplete, "\(result.failures)")
        #expect(result.notes.contains { $0.contains("connectivity configuration 'hubspoke'") && $0.contains("changed after its last commit") },
                "\(result.notes)")
        let (graph, _) = SnapshotReader.graph(from: result.rows, file: "audit")
        let configuration = try #require(graph.all(NetworkManager.self).first?.connectivityConfigurations.first)
        #expect(configuration.groups.map(\.networkGroup.name) == ["spokes"])
        #expect(configuration.hubs.map(\.name) == ["hub"])
        #expect(server.requests.contains { $0.path.hasSuffix("/listActiveConnectivityConfigurations") && $0.json["regions"] as? [String] == ["westeurope"] })
    }

}
