import Foundation

/// One outbound destination Azure Machine Learning compute needs, as aml-network-catalog.md §1 lists it.
public struct AMLRequirement: Hashable, Sendable, Codable {
    /// How the destination is named.
    public enum Destination: Hashable, Sendable, Codable {
        /// A service tag (`{region}` is replaced by the regional suffix).
        case serviceTag(String)
        /// An FQDN, wildcards allowed (`{region}` replaced by the ARM region name).
        case fqdn(String)
    }
    /// Catalog row ID, e.g. `B-OUT-02`.
    public var id: String
    /// Protocol (`Tcp`, `Udp` or `*`).
    public var `protocol`: NetworkProtocol
    /// Destination ports.
    public var ports: [Int]
    /// The destination.
    public var destination: Destination
    /// What it is for.
    public var purpose: String

    /// Creates a requirement.
    public init(_ id: String, _ protocol: NetworkProtocol, _ ports: [Int], _ destination: Destination, _ purpose: String) {
        self.id = id
        self.protocol = `protocol`
        self.ports = ports
        self.destination = destination
        self.purpose = purpose
    }

    /// The destination text for a region.
    public func destinationText(in region: AzureRegion) -> String {
        switch destination {
        case .serviceTag(let tag): tag.replacingOccurrences(of: "{region}", with: region.tagSuffix)
        case .fqdn(let name): name.replacingOccurrences(of: "{region}", with: region.name)
        }
    }
}

/// The outbound requirements of customer-VNet compute (aml-network-catalog.md §1.2–1.4), split the way a
/// firewall allow-list carries them. Exfiltration-capable rows (§3.1) are replaced by narrower routes:
/// `Storage.<region>` and `*.blob/queue/table.core.windows.net` go over the subnet's service endpoint under a
/// service endpoint policy (SEP-01…07), and `AzureFrontDoor.FrontEnd` by the FQDNs EXF names (AUTO-03).
public enum AMLRequirements {
    /// Service-tag destinations for network rules.
    public static func networkRequirements(highBusinessImpact: Bool, privateMonitor: Bool) -> [AMLRequirement] {
        var rows: [AMLRequirement] = [
            AMLRequirement("B-OUT-01", .tcp, [80, 443], .serviceTag("AzureActiveDirectory"), "Microsoft Entra ID authentication"),
            AMLRequirement("B-OUT-02", .tcp, [443, 8787, 18881], .serviceTag("AzureMachineLearning"),
                           "AML service, RStudio and notebook IntelliSense on compute instances"),
            AMLRequirement("B-OUT-02", .udp, [5831], .serviceTag("AzureMachineLearning"), "compute instance create/update/delete"),
            AMLRequirement("B-OUT-04", .any, [443], .serviceTag("BatchNodeManagement.{region}"), "Azure Batch back end"),
            AMLRequirement("B-OUT-05", .tcp, [443], .serviceTag("AzureResourceManager"), "resource management"),
            AMLRequirement("B-OUT-08", .tcp, [443], .serviceTag("MicrosoftContainerRegistry.{region}"), "Microsoft container images"),
            AMLRequirement("B-OUT-08", .tcp, [443], .serviceTag("AzureFrontDoor.FirstParty"), "MCR content delivery"),
        ]
        if !privateMonitor {
            rows.append(AMLRequirement("B-OUT-09", .tcp, [443], .serviceTag("AzureMonitor"), "metrics and logs"))
        }
        if highBusinessImpact {
            rows.append(AMLRequirement("B-OUT-12", .tcp, [443], .serviceTag("AzureKeyVault.{region}"), "Batch key vault (hbi_workspace)"))
        }
        return rows
    }

    /// FQDN destinations for application rules (HTTPS).
    public static let applicationRequirements: [AMLRequirement] = [
        AMLRequirement("ENTRA-02", .tcp, [443], .fqdn("login.microsoftonline.com"), "Entra ID sign-in"),
        AMLRequirement("PIP-FQDN-03", .tcp, [443], .fqdn("graph.windows.net"), "Microsoft Graph"),
        AMLRequirement("PIP-FQDN-04", .tcp, [443, 8787, 18881], .fqdn("*.instances.azureml.ms"), "compute instance access"),
        AMLRequirement("PIP-FQDN-05", .tcp, [443], .fqdn("*.instances.azureml.net"), "compute instance access"),
        AMLRequirement("PIP-FQDN-06", .tcp, [443], .fqdn("*.{region}.batch.azure.com"), "Azure Batch"),
        AMLRequirement("PIP-FQDN-06", .tcp, [443], .fqdn("*.{region}.service.batch.azure.com"), "Azure Batch"),
        AMLRequirement("HOST-01", .tcp, [443], .fqdn("ml.azure.com"), "studio (replaces AzureFrontDoor.FrontEnd, EXF)"),
        AMLRequirement("AUTO-03", .tcp, [443], .fqdn("automlresources-prod-d0eaehh7g8andvav.b02.azurefd.net"),
                       "AutoML images (replaces AzureFrontDoor.FrontEnd, EXF)"),
    ]

    /// Package repository FQDNs (aml-network-catalog.md §1.9, PKG-01…09; G-08 for files.pythonhosted.org).
    public static let packageRepositoryFqdns: [String: [String]] = [
        "pypi": ["pypi.org", "files.pythonhosted.org"],
        "conda": ["anaconda.com", "*.anaconda.com", "*.anaconda.org"],
        "cran": ["cloud.r-project.org"],
        "pytorch": ["pytorch.org", "*.pytorch.org"],
        "tensorflow": ["*.tensorflow.org"],
        "huggingface": ["huggingface.co", "*.huggingface.co", "cdn-lfs.huggingface.co"],
        "docker": ["docker.io", "*.docker.io", "*.docker.com", "production.cloudflare.docker.com"],
        "ubuntu": ["archive.ubuntu.com", "security.ubuntu.com", "azure.archive.ubuntu.com"],
    ]

    /// Package sources a spec gets when it declares none: PyPI and conda, the host names Microsoft's package table
    /// lists (https://learn.microsoft.com/azure/machine-learning/how-to-access-azureml-behind-firewall#python-packages)
    /// with `files.pythonhosted.org`, where pip downloads the files `pypi.org` lists.
    public static let defaultPackageSources = ["pypi", "conda"]

    /// Host names for declared package sources: a known repository name (`pypi`, `conda`, …) expands to its host
    /// names; anything else is taken as a host name (a private mirror). Sorted, without duplicates.
    public static func packageHosts(_ sources: [String]) -> [String] {
        var hosts: [String] = []
        for source in sources {
            if let known = packageRepositoryFqdns[source.lowercased()] { hosts += known } else { hosts.append(source.lowercased()) }
        }
        var seen: Set<String> = []
        return hosts.filter { seen.insert($0).inserted }
    }

    /// What a person on the jumpbox needs to use studio (STUDIO, ENTRA-02/04, HOST-01/02).
    public static let jumpboxFqdns = [
        "login.microsoftonline.com", "aadcdn.msftauth.net", "aadcdn.msauth.net", "ml.azure.com", "*.azureml.ms",
        "management.azure.com", "graph.microsoft.com",
    ]
}
