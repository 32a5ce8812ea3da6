/**
 * 操作记录 in words: every route that changes something (the audit log records those) → what the merchant did.
 * Typed over the route ids, and held to the API's list by test/console/audit-actions.test.ts, so a new route
 * without a description fails a test instead of showing its bare id.
 */

/** The operationIds of the API's POST, PUT, PATCH and DELETE routes. */
export type WriteRouteId =
  | 'signIn' | 'signOut' | 'changePassword'
  | 'createStaff' | 'updateStaff' | 'resetStaffPassword'
  | 'createAccount' | 'updateAccount'
  | 'updateSettings' | 'setSettings'
  | 'createRule' | 'importRules' | 'replaceRule' | 'updateRule' | 'deleteRule' | 'reorderRules'
  | 'testRule' | 'chatAsFollower' | 'restartChat'
  | 'importProducts' | 'upsertProduct' | 'deleteProduct' | 'setProductsStatus' | 'tagProducts'
  | 'importHotels' | 'upsertHotel' | 'deleteHotel' | 'setHotelsStatus'
  | 'importDeals' | 'upsertDeal' | 'deleteDeal' | 'setDealsStatus'
  | 'createSynonym' | 'deleteSynonym'
  | 'createStore' | 'updateStore' | 'deleteStore' | 'createStoreQrCode'
  | 'tagSubscriber' | 'untagSubscriber'
  | 'createBroadcast' | 'replaceBroadcast' | 'previewBroadcastDraft' | 'replacePushSettings' | 'sendBroadcast' | 'cancelBroadcast'
  | 'createNoticeRecipient' | 'deleteNoticeRecipient' | 'retryNotice'

  | 'confirmOrder' | 'shipOrder' | 'deliverOrder' | 'cancelOrder' | 'addOrderNote'
  | 'saveReferrer' | 'setGroupLeader' | 'removeGroupLeader' | 'updateOrderSettings'
  | 'updateServiceAnswers'
  | 'publishMenu' | 'deleteMenu' | 'validateMenu';

export const ACTION_NAMES: Readonly<Record<WriteRouteId, string>> = {
  signIn: '登录',
  signOut: '退出登录',
  changePassword: '修改自己的密码',
  createStaff: '添加员工',
  updateStaff: '修改员工（角色、门店、停用或启用）',
  resetStaffPassword: '重置员工密码',
  createAccount: '添加公众号',
  updateAccount: '修改公众号',
  updateSettings: '修改机器人设置',
  setSettings: '修改机器人设置',
  createRule: '新建自动回复规则',
  importRules: '导入自动回复规则',
  replaceRule: '编辑自动回复规则',
  updateRule: '修改自动回复规则',
  deleteRule: '删除自动回复规则',
  reorderRules: '调整自动回复规则顺序',
  // The three below change nothing and are not recorded; named so a newer log or a test still reads well.
  testRule: '测试自动回复（不保存）',
  chatAsFollower: '在「对话」中试聊',
  restartChat: '重新开始「对话」',
  importProducts: '导入商品',
  upsertProduct: '保存商品',
  deleteProduct: '删除商品',
  setProductsStatus: '商品上架或下架',
  tagProducts: '给商品加标签',
  importHotels: '导入酒店',
  upsertHotel: '保存酒店',
  deleteHotel: '删除酒店',
  setHotelsStatus: '酒店上架或下架',
  importDeals: '导入团购',
  upsertDeal: '保存团购',
  deleteDeal: '删除团购',
  setDealsStatus: '团购上架或下架',
  createSynonym: '添加同义词',
  deleteSynonym: '删除同义词',
  createStore: '新建门店',
  updateStore: '修改门店',
  deleteStore: '删除门店',
  createStoreQrCode: '生成门店二维码',
  tagSubscriber: '给粉丝加标签',
  untagSubscriber: '去掉粉丝的标签',
  createBroadcast: '新建群发',
  replaceBroadcast: '修改群发',
  // Changes nothing and is not recorded (a dry run, like testRule).
  previewBroadcastDraft: '预览群发人数（不保存）',
  replacePushSettings: '修改群发与免打扰设置',
  sendBroadcast: '发送群发',
  cancelBroadcast: '取消群发',
  createNoticeRecipient: '添加订单通知接收人',
  deleteNoticeRecipient: '删除订单通知接收人',
  retryNotice: '重发失败的订单通知',
  confirmOrder: '确认订单',
  shipOrder: '订单发货',
  deliverOrder: '订单标记送达',
  cancelOrder: '取消订单',
  addOrderNote: '给订单加备注',
  saveReferrer: '保存推荐人（团长或店员）',
  setGroupLeader: '设置群的团长',
  removeGroupLeader: '移除群的团长',
  updateOrderSettings: '修改订单设置',
  updateServiceAnswers: '修改客服问答',
  publishMenu: '发布自定义菜单',
  deleteMenu: '删除自定义菜单',
  // Checks only; not recorded.
  validateMenu: '检查自定义菜单（不发布）',
};

/** The description of a recorded route; an id this console does not know yet (a newer server) shows as is. */
export const actionName = (route: string): string => (ACTION_NAMES as Readonly<Record<string, string>>)[route] ?? route;

/** The audit row's target (`id=7`, `username=lan`, `id=7,run=3`) as the merchant reads it: the values. */
export const targetText = (target: string | null): string =>
  target === null ? '—' : target.split(',').map((part) => part.slice(part.indexOf('=') + 1)).join(' / ');
