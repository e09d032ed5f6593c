def save():
    return "saved"
