import Foundation
import PalisadeARM
import PalisadeModel

/// Maps evaluated azurerm and azapi instances into the neutral model. Argument names and defaults follow the azurerm
/// documentation of the major version the configuration pins (https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs;
/// 3.x pages at https://registry.terraform.io/providers/hashicorp/azurerm/3.9.0/docs).
struct AzurermMapper {
    let instances: [ResourceInstance]
    let providerMajor: Int
    let evaluator: Evaluator
    var graph = ResourceGraph()
    /// Graph ID of each managed instance address.
    var idByAddress: [String: ResourceID] = [:]
    var instanceByAddress: [String: ResourceInstance] = [:]
    var current: ResourceInstance?

    init(instances: [ResourceInstance], providerMajor: Int, evaluator: Evaluator) {
        self.instances = instances
        self.providerMajor = providerMajor
        self.evaluator = evaluator
        for instance in instances where instance.mode == .managed {
            instanceByAddress[instance.address] = instance
            if let id = instance.value["id"]?.stringValue {
                idByAddress[instance.address] = ResourceID(id)
            } else if let fallback = Self.symbolicID(instance, evaluator: evaluator) {
                idByAddress[instance.address] = fallback
            }
        }
    }

    /// An ID for a resource whose name is only known after apply: its Terraform address stands in for the name, so the
    /// resource stays in the graph and references to its `id` still link.
    static func symbolicID(_ instance: ResourceInstance, evaluator: Evaluator) -> ResourceID? {
        let subscription = evaluator.options.subscriptionID
        let name = instance.value["name"]?.stringValue ?? instance.address.replacingOccurrences(of: "/", with: "_")
        let group = instance.value["resource_group_name"]?.stringValue
        let id: String
        if instance.type == "azurerm_resource_group" {
            id = "/subscriptions/\(subscription)/resourceGroups/\(name)"
        } else if instance.type == "azapi_resource", let typeText = instance.value["type"]?.stringValue,
                  let armType = typeText.split(separator: "@").first {
            let parent = instance.value["parent_id"]?.stringValue ?? "/subscriptions/\(subscription)/resourceGroups/\(group ?? "unknown")"
            id = "\(parent)/providers/\(armType)/\(name)"
        } else if let armType = AzurermCatalog.topLevel[instance.type] {
            id = "/subscriptions/\(subscription)/resourceGroups/\(group ?? "unknown")/providers/\(armType)/\(name)"
        } else {
            return nil
        }
        evaluator.assume("\(instance.address): its name or resource group is only known after apply; it is read as \(id)")
        return ResourceID(id)
    }

    /// Types that attach to a resource mapped first.
    static let attachments: Set<String> = [
        "azurerm_network_security_rule", "azurerm_subnet_network_security_group_association", "azurerm_subnet_route_table_association",
        "azurerm_subnet_nat_gateway_association", "azurerm_route", "azurerm_virtual_network_peering",
        "azurerm_private_dns_zone_virtual_network_link", "azurerm_private_dns_a_record", "azurerm_firewall_application_rule_collection",
        "azurerm_firewall_network_rule_collection", "azurerm_firewall_nat_rule_collection", "azurerm_firewall_policy_rule_collection_group",
        "azurerm_monitor_private_link_scoped_service", "azurerm_nat_gateway_public_ip_association",
        "azurerm_machine_learning_workspace_network_outbound_rule_fqdn", "azurerm_machine_learning_workspace_network_outbound_rule_private_endpoint",
        "azurerm_machine_learning_workspace_network_outbound_rule_service_tag", "azapi_update_resource",
        "azurerm_network_interface_security_group_association", "azurerm_network_interface_application_security_group_association",
    ]

    /// Providers whose resources are not Azure resources (generated values, local files): not in the graph.
    static func isAzure(_ type: String) -> Bool { type.hasPrefix("azurerm_") || type.hasPrefix("azapi_") }

    mutating func map() -> ResourceGraph {
        let managed = instances.filter { $0.mode == .managed }
        var skipped: [String] = []
        let children = Set(Self.platformChildren)
        for instance in managed where !Self.attachments.contains(instance.type) && !children.contains(instance.type) {
            current = instance
            if !Self.isAzure(instance.type) {
                skipped.append(instance.address)
                continue
            }
            mapPrimary(instance)
        }
        mapPlatformChildren()
        for instance in managed where Self.attachments.contains(instance.type) {
            current = instance
            mapAttachment(instance)
        }
        current = nil
        resolveFirewallAddresses()
        applyPolicyThreatIntel()
        for type in ["azurerm_route_table", "azurerm_route"] {
            for instance in managed where instance.type == type {
                current = instance
                mapRoutes(instance)
            }
        }
        linkGeneratedPasswords()
        recordPropertySources()
        recordPlatformSources()
        if !skipped.isEmpty {
            evaluator.assume("not Azure resources, so not in the graph: \(skipped.joined(separator: ", "))")
        }
        return graph
    }

    // MARK: - Value helpers

    func warn(_ message: String) {
        evaluator.warn("terraform.unresolved", "\(current?.address ?? "resource"): \(message)",
                       fix: "give the variables it depends on a value, or accept the conservative reading", at: current?.position)
    }

    func string(_ v: HCLValue?, _ key: String) -> String? {
        guard let value = v?[key] else { return nil }
        switch value {
        case .string(let s): return s
        case .number, .bool: return value.stringValue
        case .unknown(let u):
            if !u.sensitive { warn("\(key) is only known after apply (\(u.reference))") }
            return nil
        default: return nil
        }
    }

    func bool(_ v: HCLValue?, _ key: String) -> Bool? {
        guard let value = v?[key] else { return nil }
        if case .unknown(let u) = value {
            warn("\(key) is only known after apply (\(u.reference))")
            return nil
        }
        return value.boolValue
    }

    func int(_ v: HCLValue?, _ key: String) -> Int? { v?[key]?.numberValue.map { Int($0) } }

    func strings(_ v: HCLValue?, _ key: String) -> [String] {
        guard let value = v?[key] else { return [] }
        switch value {
        case .list(let items):
            return items.compactMap { item in
                if case .unknown(let u) = item {
                    warn("an element of \(key) is only known after apply (\(u.reference))")
                    return nil
                }
                return item.stringValue
            }
        case .string(let s): return [s]
        case .unknown(let u):
            warn("\(key) is only known after apply (\(u.reference))")
            return []
        default: return []
        }
    }

    /// Nested blocks: a list of objects (native syntax) or one object (`.tf.json`, plan JSON).
    func blocks(_ v: HCLValue?, _ key: String) -> [HCLValue] {
        switch v?[key] {
        case .list(let items)?: return items.filter { if case .object = $0 { true } else { false } }
        case .object?: return [v![key]!]
        default: return []
        }
    }

    func block(_ v: HCLValue?, _ key: String) -> HCLValue? { blocks(v, key).first }

    /// A resource ID: a string, or an unknown value produced by a resource of the configuration.
    func rid(_ value: HCLValue?) -> ResourceID? {
        guard let value else { return nil }
        switch value {
        case .string(let s) where !s.isEmpty: return ResourceID(s)
        case .unknown(let u):
            if let (address, attribute) = split(u.reference), let id = idByAddress[address] {
                if attribute == "id" || attribute.hasSuffix("principal_id") || attribute == "resource_id" { return id }
                // azapi_resource: `output.id` (response_export_values = ["id"]) is the resource's ID, and
                // `output.identity.principalId` its identity (https://registry.terraform.io/providers/Azure/azapi/latest/docs/resources/resource).
                if attribute == "output.id" || attribute == "output.identity.principalId" { return id }
                if attribute.hasPrefix("network_interface") {
                    evaluator.assume("\(u.reference) (the private endpoint's own network interface) is read as the private endpoint itself")
                    return id
                }
            }
            warn("a reference is only known after apply (\(u.reference))")
            return nil
        default: return nil
        }
    }

    func rid(_ v: HCLValue?, _ key: String) -> ResourceID? { rid(v?[key]) }

    func rids(_ v: HCLValue?, _ key: String) -> [ResourceID] {
        guard let value = v?[key] else { return [] }
        if case .list(let items) = value { return items.compactMap { rid($0) } }
        return [rid(value)].compactMap { $0 }
    }

    /// Splits an unknown's reference into the producing instance's address and the attribute path.
    func split(_ reference: String) -> (String, String)? {
        var best: String?
        for address in instanceByAddress.keys where reference.hasPrefix(address + ".") {
            if best == nil || address.count > best!.count { best = address }
        }
        guard let best else { return nil }
        return (best, String(reference.dropFirst(best.count + 1)))
    }

    func tags(_ v: HCLValue) -> [String: String] {
        guard case .object(let members)? = v["tags"] else { return [:] }
        return members.compactMapValues { $0.stringValue }
    }

    func location(_ v: HCLValue) -> String? { string(v, "location").map { $0.lowercased().replacingOccurrences(of: " ", with: "") } }

    func source(_ instance: ResourceInstance) -> SourceLocation {
        var location = instance.position.location
        location.path = instance.address
        return location
    }

    func identity(_ v: HCLValue) -> ManagedIdentity {
        guard let block = block(v, "identity"), let type = string(block, "type") else { return .none }
        let folded = type.lowercased()
        return ManagedIdentity(systemAssigned: folded.contains("systemassigned"),
                               userAssigned: folded.contains("userassigned") ? rids(block, "identity_ids") : [])
    }

    func enablement(_ flag: Bool?) -> EnablementState? { flag.map { $0 ? .enabled : .disabled } }

    /// The ID of the instance, or one built from its name when the evaluator could not compute it.
    func id(_ instance: ResourceInstance) -> ResourceID? {
        if let id = idByAddress[instance.address] { return id }
        warn("its ID cannot be built (name or resource group only known after apply); it is left out")
        return nil
    }

    mutating func insert(_ resource: some AzureResource) {
        var copy = resource
        if let current { copy.source = source(current) }
        graph.insert(copy)
    }
}
