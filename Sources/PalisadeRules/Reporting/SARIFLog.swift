import Foundation
import PalisadeModel

/// A SARIF 2.1.0 log as typed Codable structs (never `[String: Any]`), for GitHub code scanning.
public struct SARIFLog: Codable, Sendable, Hashable {
    enum CodingKeys: String, CodingKey {
        case schema = "$schema", version, runs
    }
    /// Schema URI.
    public var schema = "https://json.schemastore.org/sarif-2.1.0.json"
    /// Always `2.1.0`.
    public var version = "2.1.0"
    /// One run.
    public var runs: [Run]

    /// A tool run.
    public struct Run: Codable, Sendable, Hashable {
        public var tool: Tool
        public var originalUriBaseIds: [String: ArtifactLocation]?
        public var results: [Result]
        public var columnKind = "unicodeCodePoints"
    }
    /// The tool.
    public struct Tool: Codable, Sendable, Hashable {
        public var driver: Driver
    }
    /// The driver component.
    public struct Driver: Codable, Sendable, Hashable {
        public var name = "Palisade"
        public var informationUri = "https://github.com/palisade-dev/palisade"
        public var semanticVersion = "0.1.0"
        public var rules: [ReportingDescriptor]
    }
    /// Rule metadata.
    public struct ReportingDescriptor: Codable, Sendable, Hashable {
        public var id: String
        public var name: String
        public var shortDescription: Message
        public var fullDescription: Message
        public var help: Message
        public var defaultConfiguration: Configuration
        public var properties: RuleProperties
    }
    /// A rule's default level.
    public struct Configuration: Codable, Sendable, Hashable {
        public var level: String
    }
    /// Rule properties GitHub reads.
    public struct RuleProperties: Codable, Sendable, Hashable {
        enum CodingKeys: String, CodingKey {
            case securitySeverity = "security-severity", tags, precision
        }
        public var securitySeverity: String
        public var tags: [String]
        public var precision = "high"
    }
    /// Text (and optional markdown).
    public struct Message: Codable, Sendable, Hashable {
        public var text: String
        public var markdown: String?
    }
    /// One result.
    public struct Result: Codable, Sendable, Hashable {
        public var ruleId: String
        public var ruleIndex: Int
        public var level: String
        public var message: Message
        public var locations: [Location]
        public var suppressions: [Suppression]?
        public var partialFingerprints: [String: String]
        /// The property bag: the re-verified fix (or why there is none), in Palisade's JSON form.
        public var properties: ResultProperties?
        /// The verified fix as a patch to the input file (spec inputs).
        public var fixes: [Fix]?
    }
    /// A proposed fix: changes to files.
    public struct Fix: Codable, Sendable, Hashable {
        public var description: Message
        public var artifactChanges: [ArtifactChange]
    }
    /// The changes to one file.
    public struct ArtifactChange: Codable, Sendable, Hashable {
        public var artifactLocation: ArtifactLocation
        public var replacements: [Replacement]
    }
    /// A region removed and the text put in its place.
    public struct Replacement: Codable, Sendable, Hashable {
        public var deletedRegion: Region
        public var insertedContent: ArtifactContent?
    }
    /// Literal file content.
    public struct ArtifactContent: Codable, Sendable, Hashable {
        public var text: String
    }
    /// A result's property bag.
    public struct ResultProperties: Codable, Sendable, Hashable {
        /// The verified fix or the reason there is none.
        public var verifiedFix: FindingFix
    }
    /// Where a result is.
    public struct Location: Codable, Sendable, Hashable {
        public var physicalLocation: PhysicalLocation?
        public var logicalLocations: [LogicalLocation]
    }
    /// File and region.
    public struct PhysicalLocation: Codable, Sendable, Hashable {
        public var artifactLocation: ArtifactLocation
        public var region: Region?
    }
    /// A file URI: relative to `uriBaseId` (`%SRCROOT%`) for files in the source root, else an absolute
    /// `file://` URI.
    public struct ArtifactLocation: Codable, Sendable, Hashable {
        public var uri: String
        public var uriBaseId: String?
    }
    /// A line (and column).
    public struct Region: Codable, Sendable, Hashable {
        public var startLine: Int
        public var startColumn: Int?
        public var endLine: Int?
        public var endColumn: Int?
    }
    /// Resource type and name.
    public struct LogicalLocation: Codable, Sendable, Hashable {
        public var name: String
        public var fullyQualifiedName: String
        public var kind = "resource"
    }
    /// A waiver.
    public struct Suppression: Codable, Sendable, Hashable {
        public var kind = "inSource"
        public var justification: String
    }
}

extension SARIFLog {
    /// The base ID of the source root in `originalUriBaseIds`.
    public static let sourceRootID = "%SRCROOT%"

    /// The SARIF log for a set of findings; every catalog rule is listed so rule indexes are stable.
    /// `sourceRoot` (an absolute directory, normally the git top level or the current directory) makes the
    /// locations of files inside it relative to `%SRCROOT%`, which GitHub code scanning resolves against the
    /// repository; `workingDirectory` resolves relative input paths.
    public init(findings: [Finding], rules: [any Rule.Type] = RuleCatalog.all, sourceRoot: String? = nil,
                workingDirectory: String? = nil) {
        let root = sourceRoot.map { Self.normalizedDirectory($0) }
        let descriptions = rules.map { $0.description }
        let index = Dictionary(uniqueKeysWithValues: descriptions.enumerated().map { ($1.id, $0) })
        let descriptors = descriptions.map { rule in
            ReportingDescriptor(
                id: rule.id, name: rule.title.replacingOccurrences(of: " ", with: ""),
                shortDescription: Message(text: rule.title), fullDescription: Message(text: rule.rationale),
                help: Message(text: "\(rule.rationale)\nFix: \(rule.fix)\nSource: \(rule.source)",
                              markdown: "\(rule.rationale)\n\n**Fix:** \(rule.fix)\n\n**Source:** \(rule.source)"),
                defaultConfiguration: Configuration(level: rule.defaultSeverity.rawValue),
                properties: RuleProperties(securitySeverity: rule.defaultSeverity.securitySeverity, tags: [rule.kind.rawValue, "azure", "network"]))
        }
        let results = findings.map { finding in
            let physical = finding.location.flatMap { location -> PhysicalLocation? in
                guard !location.file.isEmpty else { return nil }
                return PhysicalLocation(artifactLocation: Self.artifact(location.file, root: root, workingDirectory: workingDirectory),
                                        region: location.line.map { Region(startLine: max(1, $0), startColumn: location.column.map { max(1, $0) }) })
            }
            return Result(
                ruleId: finding.ruleID, ruleIndex: index[finding.ruleID] ?? 0, level: finding.severity.rawValue,
                message: Message(text: "\(finding.message). Fix: \(finding.fix)"
                                 + (finding.verifiedFix.flatMap { $0.status == .verified ? ". Verified fix: \($0.summary ?? "")" : nil } ?? "")),
                locations: [Location(physicalLocation: physical, logicalLocations: [
                    LogicalLocation(name: finding.subject.name, fullyQualifiedName: "\(finding.resourceType.rawValue)/\(finding.subject.name)"),
                ])],
                suppressions: finding.suppression.map { [Suppression(justification: $0.reason)] },
                partialFingerprints: ["palisade/v1": "\(finding.ruleID):\(finding.subject.rawValue.lowercased())"],
                properties: finding.verifiedFix.map { ResultProperties(verifiedFix: $0) },
                fixes: Self.fixes(finding.verifiedFix, root: root, workingDirectory: workingDirectory))
        }
        let usesRoot = results.contains { $0.locations.contains { $0.physicalLocation?.artifactLocation.uriBaseId != nil } }
        let base = root.flatMap { usesRoot ? [Self.sourceRootID: ArtifactLocation(uri: Self.fileURI($0 + "/"))] : nil }
        runs = [Run(tool: Tool(driver: Driver(rules: descriptors)), originalUriBaseIds: base, results: results)]
    }

    /// A verified fix's text replacements as SARIF fixes (nil when it has none).
    static func fixes(_ fix: FindingFix?, root: String?, workingDirectory: String?) -> [Fix]? {
        guard let fix, fix.status == .verified, let replacements = fix.replacements, !replacements.isEmpty else { return nil }
        var changes: [ArtifactChange] = []
        for replacement in replacements {
            let change = Replacement(
                deletedRegion: Region(startLine: replacement.startLine, startColumn: replacement.startColumn,
                                      endLine: replacement.endLine, endColumn: replacement.endColumn),
                insertedContent: ArtifactContent(text: replacement.insertedText))
            let location = artifact(replacement.file, root: root, workingDirectory: workingDirectory)
            if let index = changes.firstIndex(where: { $0.artifactLocation == location }) {
                changes[index].replacements.append(change)
            } else {
                changes.append(ArtifactChange(artifactLocation: location, replacements: [change]))
            }
        }
        return [Fix(description: Message(text: fix.summary ?? "verified fix"), artifactChanges: changes)]
    }

    /// The artifact location of an input file: relative to the source root when inside it.
    static func artifact(_ file: String, root: String?, workingDirectory: String?) -> ArtifactLocation {
        var absolute = file
        if !file.hasPrefix("/"), let workingDirectory { absolute = normalizedDirectory(workingDirectory) + "/" + file }
        absolute = normalizedPath(absolute)
        guard absolute.hasPrefix("/") else { return ArtifactLocation(uri: percentEncoded(file)) }
        if let root, absolute.hasPrefix(root + "/") {
            return ArtifactLocation(uri: percentEncoded(String(absolute.dropFirst(root.count + 1))), uriBaseId: sourceRootID)
        }
        return ArtifactLocation(uri: fileURI(absolute))
    }

    /// `path` without `.` and `..` components or a trailing slash.
    static func normalizedPath(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == "..", !parts.isEmpty { parts.removeLast(); continue }
            parts.append(part)
        }
        return (path.hasPrefix("/") ? "/" : "") + parts.joined(separator: "/")
    }

    static func normalizedDirectory(_ path: String) -> String {
        let normalized = normalizedPath(path)
        return normalized.isEmpty ? "/" : normalized
    }

    /// A `file://` URI for an absolute path.
    static func fileURI(_ absolute: String) -> String { "file://" + percentEncoded(absolute) }

    /// RFC 3986 percent-encoding of a path (unreserved characters and `/` stay).
    static func percentEncoded(_ path: String) -> String {
        let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~/")
        return path.addingPercentEncoding(withAllowedCharacters: allowed) ?? path
    }
}
