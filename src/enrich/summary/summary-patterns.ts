/**
 * The phrases an extractive summary reads a call by. They run on normalised sentences
 * (normalize-for-matching: simplified characters, half-width punctuation ，→ , ？→ ?, digits as
 * ASCII — 三个工作日 reads 3个工作日), so one pattern covers what ASR engines and chat clients write.
 * Written from real JD.com customer-service chats (CSDS/JDDC) and the sample calls.
 */

/** Openings, small talk and fillers before what the customer came for (喂，你好，嗯，…): what is left decides. */
export const GREETING =
  /^(?:喂+|你好+|您好+|哈喽|hello|hi|在吗|在不在|有人吗|客服|亲+|嗯+|恩+|啊+|哦+|噢+|额+|呃+|(?:好的?|好吧|是的?|对的?|ok|谢谢)(?=[\s,.!?~、。]|$)|[\s,.!?~、。:：])+/;

/** Something wrong or wanted: a question, a request, a failure, a complaint. */
export const PROBLEM =
  /怎么|为什么|为啥|咋|什么时候|多久|几天|在哪|哪里|多少|有没有|是不是|会不会|查|还没|没有?(?:收到|到|发|退|处理|显示|反应)|不能|不了|无法|失败|错了?|坏了?|问题|投诉|退|换|修|取消|改|要求|想|需要|要|能不能|可不可以|可以吗|能否|是否|吗|呢|\?|请问|麻烦|帮我|忘了|忘记|丢了?|少了|多收|扣|催/;

/** An agent doing something for the customer: 已经为您/帮您/给您 + what was done. */
export const ACTION =
  /(?:为您|帮您|给您|替您|为你|帮你|给你)[^,.?!。]{0,6}?(?:办理|提交|申请|退款|补发|登记|反馈|升级|处理|备注|催促|催办|加急|安排|取消|修改|更改|操作|重新发|换货|开具|开票|补开|报备|记录|转接|跟进|上报|拦截|退回|返还|补偿|赔付|拆分|核实|查询|查看|咨询|联系)|已经?(?:办理|提交|申请|退款|补发|登记|反馈|升级|处理|备注|安排|取消|修改|拦截|退回|补偿|拆分|催促)/;
/** Looking something up is an action, a weak one: summaries prefer what was changed. */
export const WEAK_ACTION = /查询|查看|核实|咨询/;
/** Done: 已经/已 before the verb, or 了 after it (给您操作了). */
export const DONE = /已经?|好了|完成|成功|了/;
/** Not an action: what the agent cannot do, or an offer still waiting for the customer's yes. */
export const NOT_ACTION = /(?:不能|无法|没办法|没法|不可以|不会)(?:为您|帮您|给您)|(?:需要|要不要|是否|您看|可以).{0,12}(?:吗|呢)?\?$|(?:需要|要不要|是否).{0,12}吗[.。]?$/;

/** The problem is solved: said by the agent or the customer. */
export const RESOLVED =
  /(?:已经?|已为您|已帮您)[^,.?!。]{0,4}?(?:处理|办理|修改|更改|取消|退款|补发|开具|重新开|退回|补偿|解决|拆分|恢复)(?:好|完成|成功|了)|(?:处理|办理|修改|取消|退款|解决)(?:好了|完成了|成功了)|问题(?:已经?)?解决了|已经?(?:到账|原路返回|退到|退回到)/;
/** A negated RESOLVED (还没处理好, 没有解决) is no resolution. */
export const NEGATED = /(?:没|没有|未|不|还没|无法)[^,.?!。]{0,3}$/;

/** The agent promises to come back: a callback, a specialist, a deadline. */
export const FOLLOW_UP =
  /(?:会在|将在|预计|稍后|之后|随后|后续|尽快|会有).{0,15}(?:回电|联系您|回复您|给您回复|答复|致电|回访|通知您|短信|告知您|处理)|[0-9]+\s*(?:-\s*[0-9]+\s*)?(?:个)?(?:小时|工作日|天|日)(?:之)?内|跟进|升级(?:给|到)?(?:专员|上级)|(?:反馈|提交|转|报备)(?:给|到)?[^,.?!。]{0,4}(?:专员|相关部门|上级|售后|站点)|专员.{0,8}(?:联系|回电|处理|回复)|耐心等待|等待.{0,4}(?:处理|审核|回复|结果|通知)|核实后.{0,6}(?:回复|联系|告知)|回电|致电|催促|催办|加急|正在(?:审核|处理|核实)|审核(?:中|时间|通过后)|处理中/;

/** The agent could not do it. */
export const UNABLE = /(?:无法|不能|没办法|没法|不可以|不支持)(?:为您|帮您|给您)?(?:处理|办理|操作|修改|更改|取消|退|补|开|恢复)|(?:修改|取消|退款|开具)不了/;

/** The customer leaves unhappy or gives up. */
export const NEGATIVE = /算了|投诉|差评|不满意|没用|什么破|太差|垃圾|解决不了|没解决|还是不行|还是没|骗子|浪费.{0,2}时间|无语|气死|不想(?:跟|和)你说/;

/** The customer thanks or shows they understood: the call ended well if nothing is pending. */
export const THANKS = /谢谢|感谢|多谢|谢了|辛苦了|明白了|知道了|懂了|清楚了|没问题了|好的好的|可以了|收到了/;
