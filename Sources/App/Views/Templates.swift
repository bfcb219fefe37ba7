import Leaf
import LeafKit
import Vapor

extension Application {
    /// Leaf with its parsed templates kept in every environment. Vapor's own provider switches the shared
    /// cache off whenever the environment is `development` (how `honors serve` runs without `--env`), and
    /// every page then read, lexed and parsed its layout and templates again: most of a page's time.
    /// `HONORS_TEMPLATE_RELOAD=1` turns the cache off for editing templates.
    var templates: LeafRenderer {
        var userInfo = leaf.userInfo
        userInfo["application"] = self
        return LeafRenderer(configuration: leaf.configuration, tags: leaf.tags, cache: leaf.cache, sources: leaf.sources,
                            eventLoop: eventLoopGroup.next(), userInfo: userInfo)
    }
}
