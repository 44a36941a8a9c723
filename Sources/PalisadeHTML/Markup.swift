import PalisadeModel

/// Escaping and identifiers shared by the page and the diagram, so every string from the input is inert.
enum Markup {
    /// Escapes text for HTML and XML content and for double- or single-quoted attribute values.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                // XML 1.0 forbids most control characters even as references; drop them.
                if character.value < 0x20 && character != "\n" && character != "\t" && character != "\r" { continue }
                if character.value == 0xFFFE || character.value == 0xFFFF { continue }
                out.unicodeScalars.append(character)
            }
        }
        return out
    }

    /// An injective, case-folded element ID for a resource: `r` + the lower-cased ID with `/` as `.`,
    /// `[a-z0-9-]` kept and every other byte as `_hh`.
    static func elementID(_ id: ResourceID) -> String {
        var out = "r"
        for byte in id.rawValue.lowercased().utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: "/"):
                out += "."
            default:
                let hex = String(byte, radix: 16)
                out += "_" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return out
    }

    /// Cuts text to `limit` characters with an ellipsis (before escaping).
    static func truncate(_ text: String, _ limit: Int) -> String {
        guard limit > 1, text.count > limit else { return text }
        return String(text.prefix(limit - 1)) + "…"
    }
}
