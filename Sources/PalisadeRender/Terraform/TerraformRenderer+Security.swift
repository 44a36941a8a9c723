import PalisadeModel

extension TerraformRenderer {
    /// NSGs, ASGs, IP groups, Azure Firewall (with its public IP) and the Firewall Policy with its groups.
    func securityBlocks() -> [HCLBlock] {
        var blocks: [HCLBlock] = []
        for group in graph.all(ApplicationSecurityGroup.self) {
            blocks.append(withTags(resourceBlock(group.id), group.tags))
        }
        for nsg in graph.all(NetworkSecurityGroup.self) {
            var block = resourceBlock(nsg.id)
            for rule in nsg.securityRules {
                block.block(securityRule(rule))
            }
            blocks.append(withTags(block, nsg.tags))
        }
        for group in graph.all(IPGroup.self) {
            var block = resourceBlock(group.id)
            block.attr("cidrs", .list(group.ipAddresses.map(address)))
            blocks.append(withTags(block, group.tags))
        }
        for firewall in graph.all(AzureFirewall.self) {
            for configuration in firewall.ipConfigurations + [firewall.managementIPConfiguration].compactMap({ $0 }) {
                if let pip = configuration.publicIPAddress { blocks += publicIPBlocks(pip, zones: false) }
            }
            var block = resourceBlock(firewall.id)
            block.attr("sku_name", .string(firewall.skuName))
            block.attr("sku_tier", .string(firewall.skuTier))
            if let policy = firewall.firewallPolicy {
                block.attr("firewall_policy_id", ref(policy))
            } else {
                block.attr("threat_intel_mode", .string(firewall.threatIntelMode.rawValue))
                if firewall.dnsProxyEnabled { block.attr("dns_proxy_enabled", .bool(true)) }
            }
            if let ranges = firewall.privateRanges, firewall.firewallPolicy == nil { block.attr("private_ip_ranges", .strings(ranges)) }
            for configuration in firewall.ipConfigurations {
                var inner = HCLBlock("ip_configuration")
                inner.attr("name", .string(configuration.name))
                inner.attr("subnet_id", ref(configuration.subnet))
                inner.attr("public_ip_address_id", ref(configuration.publicIPAddress))
                block.block(inner)
            }
            if let management = firewall.managementIPConfiguration {
                var inner = HCLBlock("management_ip_configuration")
                inner.attr("name", .string(management.name))
                inner.attr("subnet_id", ref(management.subnet))
                inner.attr("public_ip_address_id", ref(management.publicIPAddress))
                block.block(inner)
            }
            if !(firewall.natRuleCollections + firewall.networkRuleCollections + firewall.applicationRuleCollections).isEmpty {
                block.comment("Classic rule collections are not rendered; move them into a Firewall Policy.")
            }
            blocks.append(withTags(block, firewall.tags))
        }
        for policy in graph.all(FirewallPolicy.self) {
            var block = resourceBlock(policy.id)
            block.attr("sku", .string(policy.skuTier))
            block.attr("threat_intelligence_mode", .string(policy.threatIntelMode.rawValue))
            if let base = policy.basePolicy { block.attr("base_policy_id", ref(base)) }
            if let ranges = policy.privateRanges { block.attr("private_ip_ranges", .strings(ranges)) }
            if policy.dnsProxyEnabled || !policy.dnsServers.isEmpty {
                var dns = HCLBlock("dns")
                dns.attr("proxy_enabled", .bool(policy.dnsProxyEnabled))
                if !policy.dnsServers.isEmpty { dns.attr("servers", .strings(policy.dnsServers.map(\.description))) }
                block.block(dns)
            }
            blocks.append(withTags(block, policy.tags))
            for group in policy.ruleCollectionGroups.sorted(by: { $0.priority < $1.priority }) {
                blocks.append(ruleCollectionGroup(group, policy: policy))
            }
        }
        return blocks
    }

    /// A public IP; AZ gateways need a zone-redundant address.
    func publicIPBlocks(_ id: ResourceID, zones: Bool) -> [HCLBlock] {
        guard let pip = graph.resource(id, as: PublicIPAddress.self) else { return [] }
        var block = resourceBlock(pip.id)
        block.attr("allocation_method", .string(pip.allocationMethod))
        block.attr("sku", .string(pip.sku))
        if zones { block.attr("zones", .strings(["1", "2", "3"])) }
        return [withTags(block, pip.tags)]
    }

    private func securityRule(_ rule: SecurityRule) -> HCLBlock {
        var block = HCLBlock("security_rule")
        block.attr("name", .string(rule.name))
        block.attr("priority", .int(rule.priority))
        block.attr("direction", .string(rule.direction.rawValue))
        block.attr("access", .string(rule.access.rawValue))
        block.attr("protocol", .string(rule.protocol.rawValue))
        addPorts(&block, "source", rule.sourcePorts)
        addPorts(&block, "destination", rule.destinationPorts)
        addAddresses(&block, "source", rule.source)
        addAddresses(&block, "destination", rule.destination)
        if let description = rule.description { block.attr("description", .string(String(description.prefix(140)))) }
        return block
    }

    private func addPorts(_ block: inout HCLBlock, _ side: String, _ ports: PortMatch) {
        switch ports {
        case .any: block.attr("\(side)_port_range", .string("*"))
        case .ranges(let ranges) where ranges.count == 1: block.attr("\(side)_port_range", .string(ranges[0].description))
        case .ranges(let ranges): block.attr("\(side)_port_ranges", .strings(ranges.map(\.description)))
        }
    }

    private func addAddresses(_ block: inout HCLBlock, _ side: String, _ match: AddressMatch) {
        switch match {
        case .any: block.attr("\(side)_address_prefix", .string("*"))
        case .serviceTag(let tag): block.attr("\(side)_address_prefix", .string(tag))
        case .unresolved(let text): block.attr("\(side)_address_prefix", .string(text))
        case .prefixes(let prefixes) where prefixes.count == 1: block.attr("\(side)_address_prefix", prefix(prefixes[0]))
        case .prefixes(let prefixes): block.attr("\(side)_address_prefixes", .list(prefixes.map(prefix)))
        case .applicationSecurityGroups(let groups):
            block.attr("\(side)_application_security_group_ids", .list(groups.compactMap { ref($0) }))
        }
    }

    func ruleCollectionGroup(_ group: FirewallRuleCollectionGroup, policy: FirewallPolicy) -> HCLBlock {
        let policyLabel = symbols.entry(policy.id)?.label ?? "main"
        let label = TerraformSymbols.sanitize(policyLabel == "main" ? group.name : "\(policyLabel)_\(group.name)")
        var block = HCLBlock("resource", "azurerm_firewall_policy_rule_collection_group", label.first?.isNumber == true ? "g_" + label : label)
        block.attr("name", .string(group.name))
        block.attr("firewall_policy_id", ref(policy.id))
        block.attr("priority", .int(group.priority))
        for collection in group.ruleCollections.sorted(by: { $0.priority < $1.priority }) {
            block.block(ruleCollection(collection))
        }
        return block
    }

    private func ruleCollection(_ collection: FirewallRuleCollection) -> HCLBlock {
        let kind: String = switch collection.rules.first {
        case .application?: "application_rule_collection"
        case .nat?: "nat_rule_collection"
        default: "network_rule_collection"
        }
        var block = HCLBlock(kind)
        block.attr("name", .string(collection.name))
        block.attr("priority", .int(collection.priority))
        block.attr("action", .string(collection.action == .dnat ? "Dnat" : collection.action.rawValue))
        for rule in collection.rules {
            var inner = HCLBlock("rule")
            switch rule {
            case .network(let r):
                inner.attr("name", .string(r.name))
                inner.attr("protocols", .strings(r.protocols.map(firewallProtocol)))
                if !r.sourceAddresses.isEmpty { inner.attr("source_addresses", .list(r.sourceAddresses.map(address))) }
                if !r.sourceIPGroups.isEmpty { inner.attr("source_ip_groups", .list(r.sourceIPGroups.compactMap { ref($0) })) }
                if !r.destinationAddresses.isEmpty { inner.attr("destination_addresses", .list(r.destinationAddresses.map(address))) }
                if !r.destinationIPGroups.isEmpty { inner.attr("destination_ip_groups", .list(r.destinationIPGroups.compactMap { ref($0) })) }
                if !r.destinationFqdns.isEmpty { inner.attr("destination_fqdns", .strings(r.destinationFqdns)) }
                inner.attr("destination_ports", .strings(r.destinationPorts))
            case .application(let r):
                inner.attr("name", .string(r.name))
                if !r.sourceAddresses.isEmpty { inner.attr("source_addresses", .list(r.sourceAddresses.map(address))) }
                if !r.sourceIPGroups.isEmpty { inner.attr("source_ip_groups", .list(r.sourceIPGroups.compactMap { ref($0) })) }
                if !r.targetFqdns.isEmpty { inner.attr("destination_fqdns", .strings(r.targetFqdns)) }
                if !r.fqdnTags.isEmpty { inner.attr("destination_fqdn_tags", .strings(r.fqdnTags)) }
                if !r.webCategories.isEmpty { inner.attr("web_categories", .strings(r.webCategories)) }
                if r.terminateTLS { inner.attr("terminate_tls", .bool(true)) }
                for protocolEntry in r.protocols {
                    var protocolBlock = HCLBlock("protocols")
                    protocolBlock.attr("type", .string(protocolEntry.type))
                    protocolBlock.attr("port", .int(protocolEntry.port))
                    inner.block(protocolBlock)
                }
            case .nat(let r):
                inner.attr("name", .string(r.name))
                inner.attr("protocols", .strings(r.protocols.map(firewallProtocol)))
                if !r.sourceAddresses.isEmpty { inner.attr("source_addresses", .list(r.sourceAddresses.map(address))) }
                if let destination = r.destinationAddresses.first { inner.attr("destination_address", .string(destination)) }
                inner.attr("destination_ports", .strings(r.destinationPorts))
                if let translated = r.translatedAddress { inner.attr("translated_address", .string(translated)) }
                if let fqdn = r.translatedFqdn { inner.attr("translated_fqdn", .string(fqdn)) }
                if let port = r.translatedPort, let number = Int(port) { inner.attr("translated_port", .int(number)) }
            }
            block.block(inner)
        }
        return block
    }

    private func firewallProtocol(_ value: NetworkProtocol) -> String {
        switch value {
        case .tcp: "TCP"
        case .udp: "UDP"
        case .icmp: "ICMP"
        case .any, .esp, .ah: "Any"
        }
    }
}
