import Foundation
import PalisadeARM
import PalisadeModel

/// The header of a snapshot file: when and where the estate was read, and whether everything was.
public struct SnapshotHeader: Sendable, Codable, Hashable {
    /// Always `palisade-audit-snapshot`.
    public var format: String
    /// Format version.
    public var version: Int
    /// When the reading started (UTC, ISO 8601).
    public var queriedAt: String
    /// Subscriptions asked for.
    public var subscriptions: [String]
    /// Management groups asked for.
    public var managementGroups: [String]
    /// Whether every scope was read completely.
    public var complete: Bool
    /// What could not be read.
    public var failures: [ScopeFailure]
    /// Resources in the file.
    public var resourceCount: Int
    /// Caveats of the reading (absent when there are none).
    public var notes: [String]?

    /// The format name.
    public static let formatName = "palisade-audit-snapshot"

    /// The header describing an audit result.
    public init(_ result: AuditResult) {
        format = Self.formatName
        version = 1
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        queriedAt = formatter.string(from: result.queriedAt)
        subscriptions = result.scopes.compactMap { if case .subscription(let id) = $0 { id } else { nil } }
        managementGroups = result.scopes.compactMap { if case .managementGroup(let id) = $0 { id } else { nil } }
        complete = result.isComplete
        failures = result.failures
        resourceCount = result.rows.count
        notes = result.notes.isEmpty ? nil : result.notes
    }
}

/// Writes and reads snapshots: a resource export (`{"value": [...]}`, so the ordinary export importer reads it too)
/// with a `palisadeSnapshot` header, one resource per line so large files stream.
///
/// ```
/// {
/// "palisadeSnapshot": {...},
/// "value": [
/// {"id": ..., "type": ..., "properties": ...},
/// ...
/// ]
/// }
/// ```
public enum Snapshot {
    /// The snapshot's bytes, written in chunks to `handle`.
    static func write(_ result: AuditResult, to handle: FileHandle) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var buffer = Data()
        buffer.reserveCapacity(1 << 20)
        buffer.append(contentsOf: Array("{\n\"palisadeSnapshot\": ".utf8))
        buffer.append(try encoder.encode(SnapshotHeader(result)))
        buffer.append(contentsOf: Array(",\n\"value\": [\n".utf8))
        for (index, row) in result.rows.enumerated() {
            buffer.append(row.json)
            buffer.append(contentsOf: index + 1 < result.rows.count ? [0x2C, 0x0A] : [0x0A])
            if buffer.count >= 1 << 20 {
                handle.write(buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        buffer.append(contentsOf: Array("]\n}\n".utf8))
        handle.write(buffer)
    }

    /// Writes the snapshot atomically: to a temporary file beside `path`, then renamed over it, so a failure never
    /// leaves a partial file. Refuses to replace an existing file unless `replace` is set.
    public static func save(_ result: AuditResult, to path: String, replace: Bool = false) throws {
        let url = URL(fileURLWithPath: path)
        if !replace, FileManager.default.fileExists(atPath: path) {
            throw AuditError.configuration("'\(path)' exists; choose another file or pass --force to replace it")
        }
        let directory = url.deletingLastPathComponent()
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).partial")
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil),
              let handle = try? FileHandle(forWritingTo: temporary) else {
            throw AuditError.configuration("cannot write '\(path)': the directory is missing or not writable")
        }
        do {
            try write(result, to: handle)
            try handle.synchronize()
            try handle.close()
            // rename(2) replaces the target atomically: readers see the old file or the new one, never a mix.
            guard rename(temporary.path, url.path) == 0 else {
                throw AuditError.configuration("cannot write '\(path)': \(String(cString: strerror(errno)))")
            }
        } catch {
            try? handle.close()
            try? FileManager.default.removeItem(at: temporary)
            throw AuditError.configuration("cannot write '\(path)': \(error.localizedDescription)")
        }
    }

    /// Whether the file starts like a snapshot (reads only its first 4 KiB).
    public static func isSnapshot(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
              let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        guard let head = try? handle.read(upToCount: 4096) else { return false }
        return String(decoding: head, as: UTF8.self).contains("\"palisadeSnapshot\"")
    }
}
