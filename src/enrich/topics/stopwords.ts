/**
 * Words that say nothing about what a call is about, left out of topic discovery: function words,
 * pronouns, and the politeness and filler of customer service (你好, 请问, 麻烦, 亲亲). Only words
 * of two or more characters are listed: discovery drops single characters anyway (了, 吗, 我).
 * Words that are merely frequent (订单, 快递) are not here — the document-frequency cap drops
 * them where they are everywhere, and keeps them where they are not.
 */
export const STOPWORDS: ReadonlySet<string> = new Set(
  (
    '你好 您好 请问 一下 这个 那个 这些 那些 什么 怎么 怎么办 怎么样 为什么 为啥 可以 可不可以 能不能 是不是 有没有 ' +
    '没有 不是 就是 还是 但是 因为 所以 然后 如果 的话 现在 已经 还有 一个 这样 那样 这边 那边 这里 那里 我们 你们 ' +
    '他们 她们 自己 知道 需要 问题 谢谢 谢谢您 好的 好吧 麻烦 帮忙 帮我 客服 亲亲 妹子 妹纸 时候 东西 一起 一样 应该 ' +
    '不能 不会 不用 可能 刚才 之前 之后 以后 多少 几个 哪里 哪个 哪些 那么 这么 怎样 如何 想问 问下 问问 咨询 一直 或者 ' +
    '而且 其他 其它 还要 还能 还会 能否 是否 可否 一点 有点 一些 真的 非常 比较 特别 马上 这种 那种 对吧 对的 是的 ' +
    '不行 不要 不了 起来 出来 过来 回来 看看 看到 看下 告诉 说明 情况 意思 请问下 那就 就行 可以吗 行吗 好吗 对吗 是吗 ' +
    '在吗 嗯嗯 哈哈 呵呵 哦哦 恩恩 谢啦 感谢 辛苦 不好意思 抱歉 亲爱 老师 朋友 顾客 客户 用户 商家 今天 明天 昨天 ' +
    '后天 前天 刚刚 目前 当时 上次 这次 下次 为了 关于 通过 根据 按照 以及 并且 而是 只是 只能 只有 还没 没法 办法 ' +
    '一般 大概 肯定 当然 其实 反正 本来 原来 结果 直接 主要 只要 不过 然而 虽然 需不需要 要不要 会不会 有没 是不 能不 ' +
    '行不行 好不好 对不对 这块 那块 这单 那单 这家 那家 好像 希望 一共 就要 啥子 可是 不好 什么样 怎么回事 回事 不到 ' +
    '这是 那是 就是说 一下子 假如 一会'
  ).split(/\s+/),
);
