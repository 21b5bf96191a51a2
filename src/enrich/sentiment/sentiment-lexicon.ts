/**
 * The hand-written lexicon of customer-service sentiment (written for Tingjian; no public lexicon
 * was copied). Reviews teach the classifier product words (质量差, 做工精细); what it cannot learn
 * from reviews is how a caller complains without an emotion word (我都打了五次电话了, 到底有没有人管)
 * and which everyday words are not sentiment on a call (好的, 不好意思, 麻烦您). Entries are
 * Simplified Chinese, lower case: text is normalised (traditional → simplified, full-width →
 * half-width) before it is looked up. Longest match wins, so a longer entry overrides the words
 * inside it (不满意 is one word, not 不 + 满意; 能不能 is a question, not a negation).
 */

/** Words with a polarity of their own, -2 .. 2. Negators and degree adverbs before them apply. */
export const SENTIMENT_WORDS: Readonly<Record<string, number>> = {
  // Thanks and praise: what a satisfied caller says.
  谢谢: 0.7, 感谢: 1.2, 多谢: 1, 谢了: 0.6, 辛苦了: 0.8, 辛苦你: 0.8, 辛苦您: 0.8, 帮了大忙: 1.5, 大忙: 1.2,
  满意: 1.2, 好: 0.9, 不错: 1, 挺好: 1.1, 很好: 1.3, 还好: 0.3, 棒: 1.4, 好棒: 1.5, 给力: 1.3, 靠谱: 1, 专业: 0.7,
  耐心: 0.8, 及时: 0.8, 方便: 0.6, 放心: 0.8, 开心: 1.2, 高兴: 1.2, 喜欢: 1.2, 好评: 1.5, 点赞: 1.5, 赞: 1.2,
  完美: 1.5, 贴心: 1.2, 周到: 1, 热情: 1, 认真: 0.7, 负责: 0.6, 高效: 1, 好用: 1, 实惠: 0.8, 划算: 0.9,
  解决了: 1, 搞定了: 1, 处理好了: 0.9, 弄好了: 0.8, 到账了: 0.6, 终于: 0.2, 明白了: 0.2, 清楚了: 0.2, 理解: 0.3,
  感激: 1.4, 谢天谢地: 1.2, 满分: 1.4, 五星: 1.2, 优秀: 1.2, 准时: 0.8, 迅速: 0.9, 细心: 1, 体贴: 1.2, 用心: 1, 尽心: 1,
  负责任: 1, 人性化: 1.1, 暖心: 1.3, 感动: 1.3, 好样的: 1.5, 靠得住: 1,
  省心: 1, 顺利: 0.8, 快: 0.5, 快多了: 1, 好多了: 1, 舒服: 1, 干净: 0.7, 漂亮: 1, 惊喜: 1.3, 幸好: 0.6,
  没问题: 0.4, 没什么问题: 0.4, 没有问题: 0.4, 太好了: 1.6, 还不错: 1, 值得: 1, 超值: 1.2, 物有所值: 1.2,
  // Dissatisfaction, anger, disappointment.
  差: -1.2, 垃圾: -2, 失望: -1.5, 生气: -1.5, 气死: -2, 气人: -1.8, 愤怒: -2, 烦: -1.2, 烦死: -1.8, 恼火: -1.5,
  郁闷: -1.2, 难受: -1, 不满: -1.5, 不满意: -1.5, 不行: -1, 糟糕: -1.5, 糟: -1, 慢: -0.8, 坑: -1.2, 坑人: -1.8,
  欺骗: -1.8, 骗子: -2, 骗人: -2, 骗: -1.5, 无语: -1.3, 崩溃: -1.5, 受够: -1.8, 受不了: -1.6, 恶心: -1.8,
  离谱: -1.5, 过分: -1.5, 可恶: -1.8, 倒霉: -1.2, 难用: -1.2, 粗糙: -1, 烂: -1.5, 后悔: -1.5, 上当: -1.5,
  恶劣: -2, 敷衍: -1.5, 忽悠: -1.5, 没用: -1, 浪费: -1, 折腾: -1, 耽误: -1, 损失: -1, 吃亏: -1, 着急: -0.7,
  急死: -1.6, 担心: -0.5, 太麻烦: -1.4, 很麻烦: -1.2, 好麻烦: -1.3, 麻烦死: -1.6, 坏: -1, 破: -0.8, 破损: -1.2, 脏: -1, 贵: -0.6,
  不靠谱: -1.5, 太差: -1.8, 差劲: -1.6, 不负责: -1.5, 不讲理: -1.6, 霸王条款: -1.8, 欺负: -1.5, 态度恶劣: -2,
  无耻: -2, 缺德: -1.8, 黑心: -1.8, 奸商: -2, 流氓: -1.8, 坑爹: -1.8, 混蛋: -2, 欺诈: -2, 诈骗: -2, 霸道: -1.5,
  不要脸: -2, 气愤: -1.8, 火大: -1.6, 窝火: -1.6, 憋屈: -1.5, 闹心: -1.3, 糟心: -1.3, 心寒: -1.6, 寒心: -1.6,
  不可理喻: -1.8, 莫名其妙: -1.3, 岂有此理: -1.8, 乱七八糟: -1.4, 黑店: -2, 不讲信用: -1.8, 不守信用: -1.8,
  言而无信: -1.8, 出尔反尔: -1.8, 擅自: -1.2, 私自: -1,
  遗憾: -0.6, 抱怨: -1, 不爽: -1.4, 讨厌: -1.5, 委屈: -1.2, 为难: -1.2, 伤心: -1.3, 痛苦: -1.4, 心累: -1.4,
  好慢: -1.2, 好差: -1.6, 好烦: -1.6, 好累: -1, 不如: -0.6, 还不如: -1.2, 还行: 0.6, 随便: -0.8,
};

/**
 * Words that mostly mean something else when said bare: 好 is "OK" (好，发票寄到哪里) or "done"
 * (安装好了), 快 is "almost" (快一个月了). Unmodified they count this share; after a degree adverb
 * or a negator (很好, 不好, 太快了) they count in full.
 */
export const WEAK_WHEN_BARE: Readonly<Record<string, number>> = { 好: 0.4, 快: 0.5 };

/**
 * Complaint phrases: no emotion word, yet a caller who says them is unhappy — repeated contact,
 * waiting, broken promises, nobody in charge, sarcasm. Each is negative on its own; negators do
 * not flip them (most contain one: 还没到).
 */
export const COMPLAINT_PHRASES: Readonly<Record<string, number>> = {
  // Still not done.
  还没: -1, 还没有: -1, 还是没: -1.1, 还未: -1, 怎么还: -1.2, 为什么还: -1.2, 咋还: -1.2, 到现在: -0.6,
  至今: -0.6, 还在路上: -0.8, 没动静: -1.2, 没消息: -1, 没反应: -1, 没回音: -1.2, 石沉大海: -1.6, 不了了之: -1.5,
  一拖再拖: -1.6, 拖着: -1, 拖了: -1, 一直拖: -1.4, 还要等: -1, 等多久: -1, 等到什么时候: -1.4, 什么时候才: -1.2,
  多久才: -1.1, 才能好: -0.5, 等半天: -1.2, 等了半天: -1.2, 好久: -0.7, 这么久: -1, 那么久: -0.8,
  让我等: -1, 催了: -1, 催过: -1, 又让: -1,
  // Nobody in charge, runaround.
  到底: -1, 有没有人管: -1.6, 没人管: -1.6, 没人处理: -1.6, 没人理: -1.6, 没人回: -1.4, 没人接: -1.2, 没人联系: -1.3,
  没有人: -0.8, 一直没: -1.3, 一直没有: -1.3, 一直没人: -1.6, 一直不: -1, 一直在等: -1.2, 打不通: -1.2, 联系不上: -1.2,
  找不到人: -1.4, 推来推去: -1.8, 踢皮球: -1.8, 推卸: -1.6, 推脱: -1.5, 不管: -1, 不管不问: -1.8, 不理: -1.2,
  // Promises and repetition.
  没经过我同意: -1.2, 没经过同意: -1.2, 未经同意: -1.2, 说好的: -1.2, 不是说: -1, 明明: -0.8, 结果没: -0.8, 结果还是: -0.8, 答应过: -0.8, 承诺过: -0.8, 上次也: -0.9, 上次就: -0.9,
  早就: -0.6, 反映过: -1.2, 说过了: -1, 说了多少遍: -1.8, 说了好几次: -1.6, 好几次了: -1.4, 多少次了: -1.6,
  每次都: -1, 每回都: -1, 总是: -0.7, 老是: -0.9, 又是: -0.7, 怎么又: -1.3, 为什么又: -1.3, 还是有问题: -1.4, 还是不行: -1.4,
  // Indignant questions.
  怎么回事: -1, 什么情况: -0.8, 什么效率: -1.4, 什么速度: -1.2, 什么质量: -1.4, 什么玩意: -1.8, 什么鬼: -1.5, 搞什么: -1.5, 凭什么: -1.5, 什么意思: -1, 什么态度: -1.6, 什么服务: -1.6,
  这叫什么: -1.5, 怎么搞的: -1.4, 怎么能这样: -1.6, 怎么可以这样: -1.6, 有什么用: -1.2, 有这样的吗: -1.6,
  能不能快点: -1.2, 快点: -0.5, 靠点谱: -1.5, 还让不让人: -1.6, 难道: -0.6, 太过分: -1.8,
  // Broken goods and failed service.
  坏的: -1, 坏了: -1, 漏发: -1.2, 少发: -1.2, 发错: -1.2, 错发: -1.2, 不能用: -1.2, 用不了: -1.2, 没法用: -1.3,
  打不开: -1, 开不了机: -1.2, 质量问题: -1.2, 有问题: -0.5, 不能接受: -1.6, 接受不了: -1.6, 出问题: -0.8,
  出现问题: -0.8, 出故障: -1, 三天两头: -1.2, 压扁: -1, 压坏: -1, 摔坏: -1, 碎了: -1, 裂了: -1, 划痕: -0.8, 磕碰: -0.8,
  过敏: -1, 漏液: -1, 褪色: -0.8, 起球: -0.8, 开线: -0.8, 掉色: -0.8, 发臭: -1.2, 死机: -1, 黑屏: -1, 花屏: -1, 自动关机: -0.9, 漏水: -1, 异响: -0.9, 发霉: -1.2, 过期: -1, 变质: -1.2, 缺件: -1,
  没收到: -0.4, 未收到: -0.4, 也有这个问题: -1, 还是这个问题: -1.2, 同样的问题: -1, 一样的问题: -1, 老问题: -1,
  // Escalation.
  投诉: -1.5, 差评: -1.5, 12315: -1.8, 消协: -1.6, 曝光: -1.5, 举报: -1.5, 赔偿: -0.6, 给个说法: -1.6,
  不想再: -1.2, 别跟我说: -1.3, 别说了: -1.2, 不要再: -0.8, 算了: -0.8, 随便你们: -1.6, 爱咋咋: -1.8,
  // Sarcasm: praise words said of a failure.
  真有你们的: -1.8, 真有你的: -1.6, 可真行: -1.8, 真行啊: -1.6, 服了: -1.5, 真是服了: -1.8, 呵呵: -1.2,
  好一个: -1.2,
};

/**
 * Said without sentiment although they contain a sentiment word or a negator: acknowledgements,
 * politeness, A-not-A questions, amounts. They stop the words inside them from counting.
 */
export const NEUTRAL_PHRASES: readonly string[] = [
  '好的', '好吧', '好了', '好像', '好几', '好多', '只好', '好不好', '好久不见', '你好', '您好', '大家好', '好意思',
  '不好意思', '不客气', '不用谢', '不用', '不要', '不然', '不同', '不少', '不知道', '不清楚', '不确定', '不一定',
  '不是这个', '没事', '没关系', '没别的', '没有别的', '没有了', '没了', '没看到', '差不多', '差点',
  '能不能', '可不可以', '是不是', '有没有', '要不要', '会不会', '行不行', '对不对', '是否', '麻烦你', '麻烦您',
  '麻烦帮', '麻烦给', '快递', '快件', '尽快', '赶快', '加快', '问一下', '请问', '谢谢配合', '错过', '值班',
  '不好说', '好处', '好评返现', '坏账', '差价', '差额', '相差', '出差', '急件', '着急用', '别的', '没错', '对不起', '慢慢', '慢走', '增值', '有个问题', '我有问题', '有问题想', '麻烦', '好友', '好奇', '爱好', '好在', '好些', '随便看', '随便问', '还差', '只差', '就差', '差一', '差几', '贵公司', '贵司', '贵姓', '价值',
];

/**
 * Negators: a sentiment word within a few characters after one is flipped. The value is how much
 * of the word's strength survives (不太满意 is milder than 不满意); the strong ones (根本不,
 * 一点都不) make it stronger.
 */
export const NEGATORS: Readonly<Record<string, number>> = {
  不: 1, 没: 1, 没有: 1, 别: 1, 未: 1, 无: 1, 不是: 1, 并不: 1, 并没有: 1, 并非: 1, 从不: 1.2, 从没: 1.2, 从来不: 1.3,
  从来没: 1.3, 毫不: 1.3, 绝不: 1.3, 决不: 1.3, 不太: 0.5, 不怎么: 0.5, 不大: 0.5, 不够: 0.6, 不算: 0.5, 不是很: 0.5,
  不是特别: 0.5, 不是太: 0.5, 没那么: 0.5, 没多: 0.6, 根本不: 1.5, 根本没: 1.5, 完全不: 1.5, 完全没: 1.5, 一点都不: 1.6,
  一点也不: 1.6, 一点都没: 1.6, 一点也没: 1.6, 都不: 1.1, 也不: 1,
};

/**
 * Contrast: what comes after 但是 is what the speaker means (东西不错，但是物流太慢了 is a
 * complaint), so everything read before one counts half.
 */
export const CONTRAST_WORDS: readonly string[] = ['但是', '但', '可是', '不过', '然而', '只是', '可惜'];

/** Degree adverbs: they scale the next sentiment word (and a negation after them). */
export const DEGREE_WORDS: Readonly<Record<string, number>> = {
  很: 1.5, 非常: 1.8, 太: 1.8, 特别: 1.8, 十分: 1.8, 极其: 2, 极: 1.9, 超: 1.6, 超级: 1.8, 相当: 1.6, 真: 1.4, 真的: 1.4,
  真是: 1.4, 挺: 1.3, 蛮: 1.3, 比较: 1.1, 更: 1.3, 最: 1.8, 越来越: 1.4, 实在: 1.6, 简直: 1.7, 完全: 1.5,
  这么: 1.3, 那么: 1.2, 如此: 1.4, 有点: 0.6, 有点儿: 0.6, 有些: 0.6, 稍微: 0.5, 略: 0.5, 略微: 0.5, 还算: 0.7, 还挺: 1.1,
};

const COUNT = '(?:\\d+|[二两三四五六七八九十几好多]+)';
const AMOUNT = '(?:\\d+|[一二两三四五六七八九十几半好多]+)个?';
const PERIOD = '(?:天|日|周|星期|礼拜|月|小时|钟头|分钟|年)';
const SERVICE = '(?:效率|速度|服务|态度|质量|做工|性价比|办事效率|处理速度|发货速度|回复速度)';
const DEGREE = '(?:真|很|挺|非常|特别|超|蛮|太|也|都|还|真的|确实|相当)?';

/**
 * Patterns literals cannot list: complaints with a number in them (how often, how long) and
 * praise or blame of the service through an adjective that is no sentiment word alone. Matched
 * on the normalised text; each match adds its weight (negative ones count as complaints). Once
 * is not a complaint: the counts start at two (打了一次 is not 打了两次).
 */
export const PHRASE_PATTERNS: ReadonlyArray<{ pattern: RegExp; weight: number; example: string }> = [
  { pattern: new RegExp(`(?:打|来|催|问|找|联系|反映|反馈|投诉|说|换|修|寄|退|申请|跑)了?${COUNT}(?:次|遍|回|趟)`, 'g'), weight: -1.3, example: '我都打了五次电话了' },
  { pattern: new RegExp(`第${COUNT}(?:次|遍|回)了`, 'g'), weight: -1.3, example: '这都第三次了' },
  { pattern: new RegExp(`(?:等了?|已经|都|快|过了|整整)${AMOUNT}${PERIOD}`, 'g'), weight: -1, example: '等了三天还没到' },
  { pattern: new RegExp(`${AMOUNT}${PERIOD}了(?:还|都|也|仍)`, 'g'), weight: -1.2, example: '快递一个星期了还在路上' },
  { pattern: /又(?:坏|没|出问题|拖|延迟|错|扣|停|断|不|漏|丢|少)/g, weight: -0.9, example: '怎么又坏了' },
  // The service judged with 高/低, which are no sentiment words alone (高度, 低温).
  { pattern: new RegExp(`${SERVICE}${DEGREE}高`, 'g'), weight: 1.2, example: '你们效率真高' },
  { pattern: new RegExp(`${SERVICE}${DEGREE}低`, 'g'), weight: -1.2, example: '效率太低了' },
];

/**
 * Every pattern match contains one of these characters: the regexes run only on texts that have
 * one (most utterances have none, and a regex costs more than the whole trie scan).
 */
export const PATTERN_TRIGGERS = '次遍回趟天日周期拜月时头钟年又高低';
