package dev.townhall.code;

import java.util.Optional;

/** Optional text as the code package takes it: absent, null and blank all mean "not given". */
final class Text {
    private Text() {
    }

    static Optional<String> present(Optional<String> text) {
        return text == null ? Optional.empty() : text.map(String::strip).filter(s -> !s.isEmpty());
    }
}
