/// Azure Firewall FQDN tags (docs/semantics.md#firewall-fqdn-tags): Microsoft-managed name sets that an application
/// rule can allow or deny instead of target FQDNs.
///
/// Sources:
/// - https://learn.microsoft.com/azure/firewall/fqdn-tags (the table below follows the
///   later revision with ms.date 2026-03-28) lists the tags and says "You can't create your own FQDN tags, nor can
///   you specify which FQDNs are included within a tag. Microsoft manages the FQDNs encompassed by the FQDN tag".
///   So the page itself publishes no names. For two tags it points at a published list:
///   * `WindowsUpdate`: "Allow outbound access to Microsoft Update as described in *How to Configure a Firewall for
///     Software Updates*", which leads to (MicrosoftDocs/memdocs
///     `memdocs/configmgr/core/plan-design/network/internet-endpoints.md`, ms.date 2021-12-01, section
///     "Software updates").
///   * `WindowsDiagnostics`: "Allow outbound access to all *Windows Diagnostics endpoints*", which leads to
///     (MicrosoftDocs/windows-itpro-docs `windows/privacy/configure-windows-diagnostic-data-in-your-organization.md`
///     @011ef087, ms.date 2020-10-13, table "Endpoints").
/// - docs/semantics.md#firewall-fqdn-tags: a rule that uses FQDN tags must use protocol `https`; tags match only on the rule's `Https` entries.
///
/// Decisions (kept in code because the engine-decisions document belongs to another owner):
/// - A published tag matches exactly the names of its list (the scheme, `http://` or `https://`, is dropped: the
///   list names hosts, and the rule's protocol decides the port). Microsoft may add names, so this is the documented
///   subset: a name outside it is *not* matched, and the compile notes say so.
/// - A tag without a published list (every other tag, including the `Office365.*` family) matches **no concrete
///   host**: `trace` falls through to later rules and says so in the firewall decision, and `reach` keeps the grant
///   as the symbolic pattern `fqdntag:<Tag>`, which covers no host name. This under-approximates what the tag allows
///   (sound for "X can reach Y" proofs only); it is the one choice under which `trace` and `reach` agree without
///   inventing names.
public enum FirewallFQDNTags {
    /// One FQDN tag with the names Microsoft documents for it, if any.
    public struct Tag: Sendable, Hashable {
        /// The tag name as Azure spells it in `fqdnTags`.
        public var name: String
        /// The documented host-name patterns, or `nil` when Microsoft publishes none.
        public var published: [FQDNPattern]?
        /// Where the names (or their absence) come from.
        public var source: String
    }

    /// The tags the FQDN tags page documents, in its table order.
    public static let documented: [Tag] = [
        // docs/semantics.md#firewall-fqdn-tags, the Configuration Manager "Software updates" endpoint list (every entry of the list; schemes dropped).
        Tag(name: "WindowsUpdate", published: [
            "windowsupdate.microsoft.com", "*.windowsupdate.microsoft.com", "*.update.microsoft.com", "*.windowsupdate.com",
            "download.windowsupdate.com", "download.microsoft.com", "*.download.windowsupdate.com", "ntservicepack.microsoft.com",
        ].map(FQDNPattern.init), source: "https://learn.microsoft.com/mem/configmgr/core/plan-design/network/internet-endpoints"),
        // docs/semantics.md#firewall-fqdn-tags, the Windows diagnostic data "Endpoints" table. Two entries are `*-umwatsonc.events.data.microsoft.com` and
        // `*-kmwatsonc.telemetry.microsoft.com`: a `*-` label prefix is not an FQDN pattern (docs/semantics.md#firewall-fqdn-wildcards), so they are left out.
        Tag(name: "WindowsDiagnostics", published: [
            "v10.events.data.microsoft.com", "v10c.events.data.microsoft.com", "v10.vortex-win.data.microsoft.com",
            "watson.telemetry.microsoft.com", "watson.microsoft.com", "umwatsonc.telemetry.microsoft.com",
            "umwatsonc.events.data.microsoft.com", "ceuswatcab01.blob.core.windows.net", "ceuswatcab02.blob.core.windows.net",
            "eaus2watcab01.blob.core.windows.net", "eaus2watcab02.blob.core.windows.net", "weus2watcab01.blob.core.windows.net",
            "weus2watcab02.blob.core.windows.net", "login.live.com", "oca.telemetry.microsoft.com", "oca.microsoft.com",
            "kmwatsonc.telemetry.microsoft.com", "settings-win.data.microsoft.com",
        ].map(FQDNPattern.init), source: "https://learn.microsoft.com/windows/privacy/configure-windows-diagnostic-data-in-your-organization"),
        // docs/semantics.md#firewall-fqdn-tags: the FQDN tags page links a blog post, not a documented list.
        Tag(name: "MicrosoftActiveProtectionService", published: nil, source: "https://learn.microsoft.com/azure/firewall/fqdn-tags (no published list)"),
        Tag(name: "AppServiceEnvironment", published: nil, source: "https://learn.microsoft.com/azure/firewall/fqdn-tags (no published list)"),
        Tag(name: "AzureBackup", published: nil, source: "https://learn.microsoft.com/azure/firewall/fqdn-tags (no published list)"),
        Tag(name: "AzureHDInsight", published: nil, source: "https://learn.microsoft.com/azure/firewall/fqdn-tags (no published list)"),
        Tag(name: "WindowsVirtualDesktop", published: nil, source: "https://learn.microsoft.com/azure/firewall/fqdn-tags (no published list)"),
        Tag(name: "AzureKubernetesService", published: nil, source: "https://learn.microsoft.com/azure/firewall/fqdn-tags (no published list)"),
        Tag(name: "Windows365", published: nil, source: "https://learn.microsoft.com/azure/firewall/fqdn-tags (no published list)"),
        Tag(name: "MicrosoftIntune", published: nil, source: "https://learn.microsoft.com/azure/firewall/fqdn-tags (no published list)"),
        Tag(name: "citrixHdxPlusForWindows365", published: nil, source: "https://learn.microsoft.com/azure/firewall/fqdn-tags (no published list)"),
    ]

    /// the FQDN tags page: "Several Office 365 tags are available … by product and category" (e.g. `Office365.Skype.Optimize`).
    static let office365Prefix = "office365"

    /// The documented tag `name` denotes (case and spaces ignored), or `nil` for a tag the FQDN tags page does not list.
    public static func lookup(_ name: String) -> Tag? {
        let key = String(name.filter { $0 != " " }).lowercased()
        if let tag = documented.first(where: { $0.name.lowercased() == key }) { return tag }
        if key == office365Prefix || key.hasPrefix(office365Prefix + ".") {
            return Tag(name: name, published: nil, source: "https://learn.microsoft.com/azure/firewall/fqdn-tags (Office 365 family, no published list)")
        }
        return nil
    }
}
