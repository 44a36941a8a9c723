import Foundation

/// Responses shaped like Microsoft's documented ones.
///
/// Resource Graph: the `QueryResponse` of `Microsoft.ResourceGraph/resources` 2024-04-01 (examples
/// `ResourcesFirstPageQuery.json` / `ResourcesNextPageQuery.json` in Azure/azure-rest-api-specs,
/// https://learn.microsoft.com/rest/api/azureresourcegraph/resourcegraph/resources/resources): `totalRecords`, `count`,
/// `resultTruncated` (a string in those examples), `facets`, `$skipToken` while more pages remain, `data` rows with
/// lower-cased `type`. ARM lists: `{"value": [...], "nextLink": ...}` (example `RecordSetALLList.json`).
/// Errors: `{"error": {"code", "message"}}`.
enum Recorded {
    static let subscriptionA = "cfbbd179-59d2-4052-aa06-9270a38aa9d6"
    static let subscriptionB = "0b1f6471-1bf0-4dda-aec3-cb9272f09590"

    static func page(_ rows: [[String: Any]], total: Int, skipToken: String? = nil) -> FakeResponse {
        var body: [String: Any] = ["totalRecords": total, "count": rows.count, "resultTruncated": "false", "facets": [Any](), "data": rows]
        if let skipToken { body["$skipToken"] = skipToken }
        return FakeResponse(status: 200, headers: ["x-ms-user-quota-remaining": "14", "x-ms-user-quota-resets-after": "00:00:05"], object: body)
    }

    static func error(_ status: Int, code: String, message: String, headers: [String: String] = [:]) -> FakeResponse {
        FakeResponse(status: status, headers: headers, object: ["error": ["code": code, "message": message]])
    }

    static func group(_ subscription: String, _ rg: String) -> String { "/subscriptions/\(subscription)/resourceGroups/\(rg)" }

    /// A virtual network row with two subnets inline, as Resource Graph returns it.
    static func virtualNetwork(_ subscription: String, rg: String = "rg-hub", name: String, prefix: String,
                               subnets: [(String, String)], nsg: String? = nil) -> [String: Any] {
        let id = group(subscription, rg) + "/providers/Microsoft.Network/virtualNetworks/\(name)"
        return [
            "id": id, "name": name, "type": "microsoft.network/virtualnetworks", "kind": "", "location": "westeurope",
            "resourceGroup": rg, "subscriptionId": subscription, "tags": [String: Any](), "sku": NSNull(), "identity": NSNull(),
            "zones": NSNull(),
            "properties": [
                "provisioningState": "Succeeded", "resourceGuid": "3a8d1f7c-0000-4000-8000-000000000001",
                "addressSpace": ["addressPrefixes": [prefix]],
                "subnets": subnets.map { sub -> [String: Any] in
                    var properties: [String: Any] = ["addressPrefix": sub.1, "provisioningState": "Succeeded"]
                    if let nsg { properties["networkSecurityGroup"] = ["id": group(subscription, rg) + "/providers/Microsoft.Network/networkSecurityGroups/\(nsg)"] }
                    return ["name": sub.0, "id": id + "/subnets/\(sub.0)", "type": "Microsoft.Network/virtualNetworks/subnets", "properties": properties]
                },
                "virtualNetworkPeerings": [Any](), "enableDdosProtection": false,
            ],
        ]
    }

    static func networkSecurityGroup(_ subscription: String, rg: String = "rg-hub", name: String, openSSH: Bool = false) -> [String: Any] {
        let id = group(subscription, rg) + "/providers/Microsoft.Network/networkSecurityGroups/\(name)"
        var rules: [[String: Any]] = []
        if openSSH {
            rules.append(["name": "AllowSshFromInternet", "id": id + "/securityRules/AllowSshFromInternet",
                          "properties": ["priority": 100, "direction": "Inbound", "access": "Allow", "protocol": "Tcp",
                                         "sourceAddressPrefix": "Internet", "sourcePortRange": "*",
                                         "destinationAddressPrefix": "*", "destinationPortRange": "22"]])
        }
        return ["id": id, "name": name, "type": "microsoft.network/networksecuritygroups", "kind": "", "location": "westeurope",
                "resourceGroup": rg, "subscriptionId": subscription, "tags": [String: Any](), "sku": NSNull(), "identity": NSNull(),
                "zones": NSNull(), "properties": ["securityRules": rules, "defaultSecurityRules": [Any](), "provisioningState": "Succeeded"]]
    }

    static func simple(_ subscription: String, rg: String = "rg-hub", provider: String, type: String, name: String,
                       properties: [String: Any] = [:]) -> [String: Any] {
        ["id": group(subscription, rg) + "/providers/\(provider)/\(type)/\(name)", "name": name,
         "type": "\(provider)/\(type)".lowercased(), "kind": "", "location": "westeurope", "resourceGroup": rg,
         "subscriptionId": subscription, "tags": [String: Any](), "sku": NSNull(), "identity": NSNull(), "zones": NSNull(),
         "properties": properties]
    }

    /// Which of the audit's queries a Resource Graph request body carries.
    static func batch(of request: FakeRequest) -> String {
        let query = request.json["query"] as? String ?? ""
        if query.contains("microsoft.network/virtualnetworks") { return "network" }
        if query.contains("microsoft.network/azurefirewalls") { return "firewalls" }
        if query.contains("microsoft.compute/virtualmachines") { return "workloads" }
        if query.contains("microsoft.network/loadbalancers") { return "platform" }
        if query.contains("authorizationresources") { return "roles" }
        return "?"
    }

    static func isGraph(_ request: FakeRequest) -> Bool {
        request.method == "POST" && request.path == "/providers/Microsoft.ResourceGraph/resources"
    }

    static func subscriptions(of request: FakeRequest) -> [String] { request.json["subscriptions"] as? [String] ?? [] }
    static func skipToken(of request: FakeRequest) -> String? { (request.json["options"] as? [String: Any])?["$skipToken"] as? String }
}
