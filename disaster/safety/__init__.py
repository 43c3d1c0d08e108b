"""安否確認: during an alert residents say whether they are safe, at a shelter or need help, for
themselves and the household members they registered; staff count the answers and see who
needs help; family members a resident named may see the resident's answers."""
