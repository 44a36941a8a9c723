import PalisadeModel

extension Tracer {
    /// What the security admin rules decided for a packet at a subnet.
    enum AdminVerdict {
        /// No admin rule matched, or an Allow rule did: the NSGs decide.
        case securityGroupsDecide
        /// An Always Allow rule matched: the NSGs are skipped.
        case alwaysAllowed
        /// A Deny rule matched: dropped.
        case denied(String)
    }

    /// Evaluates the security admin rules for a subnet, before its NSGs (docs/semantics.md#avnm-security-admin-rules,
    /// https://learn.microsoft.com/azure/virtual-network-manager/concept-security-admins).
    mutating func adminRules(_ packet: Packet, at subnet: CompiledSubnet, _ direction: SecurityRule.Direction) -> AdminVerdict {
        guard let rules = model.adminRules(in: subnet.id, direction), let rule = rules.decide(packet) else { return .securityGroupsDecide }
        let effect = switch rule.action {
        case .allow: "allowed; the NSGs decide next"
        case .alwaysAllow: "always allowed; the NSGs are skipped"
        case .deny: "denied before the NSGs"
        }
        hops.append(TraceHop(kind: "SecurityAdminRule", resource: rule.collection, rule: rule.name,
                             result: rule.action.rawValue,
                             detail: "security admin rule \(direction.rawValue.lowercased()) at \(subnet.displayName), priority \(rule.priority): \(effect) (docs/semantics.md#avnm-security-admin-rules)"))
        switch rule.action {
        case .allow: return .securityGroupsDecide
        case .alwaysAllow: return .alwaysAllowed
        case .deny: return .denied("denied by security admin rule \(rule.collection)/\(rule.name) \(direction.rawValue.lowercased())")
        }
    }
}
